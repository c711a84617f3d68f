"""The self-assessment checklist of a review (R13): progress per section, answers for those who may
read them, a form per section with draft saving and conflict detection, and the way to submission
(a confirmation page, then the review's ``submit-checklist`` transition)."""

import colander
import deform
from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from content.attachments import UploadRejected
from content.checklists import (ANSWERS, DETAILS, FOLLOW_UP, MAX_TEXT, Checklist, ChecklistConflict, answer_parts,
                                previous_checklist)
from content import follow_up
from content.review_parts import review_of
from content.reviews import CountryReview
from portal.forms import CSRFSchema, button, mark_language
from portal.i18n import LANGUAGE_NAMES, LANGUAGES, _, _n, text_direction, translate
from portal.notices import tell
from portal.views import flash, redirect, user_state
from portal.views.comments import add_comment
from portal.views.conflicts import conflict as show_conflict, person_name
from portal.views.helpers import section_title, shown_references, state_name, state_value, title_in
from portal.views.threads import upload_help, uploaded_files
from workflows import get_workflow
from workflows import permissions as P


def questions_language(request, review):
    """The language the questions are shown in: ``?questions=xx``, else the review's working language, else the
    page's (the interface around them stays in the page's language)."""
    wanted = request.GET.get("questions")
    if wanted in LANGUAGES:
        return wanted
    return review.language if review.language in LANGUAGES else request.locale_name


def _language_choice(request, review, lang):
    """Links to the questions in the review's working language and in the reader's, when they differ."""
    choices = [code for code in (review.language, request.locale_name) if code in LANGUAGES]
    return [(code, LANGUAGE_NAMES[code], request.resource_url(request.context, query={"questions": code}), code == lang)
            for code in dict.fromkeys(choices)] if len(set(choices)) > 1 else []


@view_config(context=Checklist, renderer="portal:templates/checklist.pt", permission=P.VIEW_PROGRESS)
def checklist_view(context, request):
    return _page(context, request)


def _page(context, request, problem=None):
    """The checklist page; ``problem``: ``(question id, translated error, text typed)`` of a refused upload or
    new information, shown beside that question with what was typed."""
    review = context.__parent__
    lang = questions_language(request, review)
    sections = []
    for s in context.sections():
        answered, total = context.progress(s)
        sections.append({"key": s.key, "title": section_title(request, s, lang), "answered": answered, "total": total,
                         "questions": [(q, q.text_in(lang), context.answers.get(q.id) or {}) for q in s.questions]})
    can_submit = request.has_permission(P.SUBMIT_CHECKLIST, review)
    return {
        "page_title": translate(request, _("Self-assessment checklist of ${state}",
                                           mapping={"state": state_value(request, review.state)})),
        "review": review,
        "sections": sections,
        "questions_lang": lang, "questions_dir": text_direction(lang),
        "language_choice": _language_choice(request, review, lang),
        "can_read": request.has_permission(P.VIEW, context),
        "can_edit": request.has_permission(P.EDIT_CHECKLIST, context),
        "can_submit": can_submit,
        # The button leads to the confirmation page (``confirm_submission``), which submits.
        "submit": get_workflow(review).transitions["submit-checklist"] if can_submit else None,
        "unanswered": len(context.unanswered()),
        "shown": {q.id: shown_answer(request, context.answers.get(q.id) or {}) for s in context.sections()
                  for q in s.questions},
        "can_comment": request.has_permission(P.COMMENT_CHECKLIST, context),
        "comments": {q.id: context.comments.on(q.id) for s in context.sections() for q in s.questions},
        "state_names": {s: state_name(request, s) for s in review.parties()},
        "attachments": {q.id: context.attachments(q.id) for s in context.sections() for q in s.questions},
        "citations": {q.id: shown_references(request, context.references(q.id), context)
                      for s in context.sections() for q in s.questions},
        "information": {q.id: context.information(q.id) for s in context.sections() for q in s.questions},
        "can_inform": request.has_permission(P.ADD_INFORMATION, context),
        "upload_help": upload_help(request),
        "problem": problem or (None, None, ""),
    }


def _question_of(request, context):
    question = request.POST.get("question", "")
    section = section_of(request, context, question)
    return question, request.resource_url(context, query={"questions": request.POST.get("questions") or None}) \
        + f"#{section.key}"


def _refused(context, request, question, message, text=""):
    request.response.status_int = 400
    return _page(context, request, (question, translate(request, message), text))


@view_config(context=Checklist, name="attach", request_method="POST", renderer="portal:templates/checklist.pt",
             permission=P.EDIT_CHECKLIST)
def attach(context, request):
    """Files (legislation, cases) attached to one answer while the checklist is open, with the rules of the
    dialogue's attachments: their type, size and number are checked before anything is kept."""
    question, back = _question_of(request, context)
    files = uploaded_files(request)
    if not files:
        return _refused(context, request, question, _("Choose a file to attach."))
    try:
        names = context.attach(question, files, request.authenticated_userid)
    except UploadRejected as rejected:
        return _refused(context, request, question, rejected.message)
    flash(request, _n("${count} file attached.", "${count} files attached.", len(names)))
    return redirect(back)


@view_config(context=Checklist, name="detach", request_method="POST", permission=P.EDIT_CHECKLIST)
def detach(context, request):
    question, back = _question_of(request, context)
    try:
        context.detach(question, request.POST.get("file", ""))
    except KeyError:
        raise HTTPNotFound(translate(request, _("This answer has no such file."))) from None
    flash(request, _("The file has been removed."))
    return redirect(back)


@view_config(context=Checklist, name="new-information", request_method="POST",
             renderer="portal:templates/checklist.pt", permission=P.ADD_INFORMATION)
def new_information(context, request):
    """ToR ¶13: after submission, the State under review gives new information on an answer; the reviewing
    States and the secretariat are told. The answers themselves stay as submitted."""
    question, back = _question_of(request, context)
    text = request.POST.get("text", "")
    if len(text) > MAX_TEXT:
        return _refused(context, request, question, _n("Write at most ${count} character.",
                                                       "Write at most ${count} characters.", MAX_TEXT), text)
    try:
        context.add_information(question, request.authenticated_userid, user_state(request), text,
                                uploaded_files(request))
    except UploadRejected as rejected:
        return _refused(context, request, question, rejected.message, text)
    except ValueError:
        return _refused(context, request, question, _("Write the new information or attach a file."), text)
    tell(request, "checklist/new-information", context)
    flash(request, _("The new information has been sent to the reviewing States."))
    return redirect(back)


@view_config(context=CountryReview, name="submit-checklist", renderer="portal:templates/checklist_submit.pt",
             request_method=("GET", "HEAD"), permission=P.SUBMIT_CHECKLIST)
def confirm_submission(context, request):
    """Before the focal point submits the checklist (R13): what submitting means, the questions still without an
    answer (with the way to each section), and the form that submits it (the review's ``submit-checklist``)."""
    checklist = context.get("checklist")
    if checklist is None:
        raise HTTPNotFound(translate(request, _("This review has no checklist.")))
    lang = questions_language(request, context)
    missing = []
    for s in checklist.sections():
        questions = [q for q in s.questions if not checklist.answered(q)]
        if questions:
            missing.append({"title": section_title(request, s, lang), "questions": [q.text_in(lang) for q in questions],
                            "url": request.resource_url(checklist, "@@answer",
                                                        query={"section": s.key, "questions": lang})})
    return {
        "page_title": translate(request, _("Submit the checklist of ${state}?",
                                           mapping={"state": state_value(request, context.state)})),
        "review": context,
        "checklist": checklist,
        "missing": missing,
        "unanswered": sum(len(s["questions"]) for s in missing),
        "questions_lang": lang, "questions_dir": text_direction(lang),
        "transition": get_workflow(context).transitions["submit-checklist"],
    }


@view_config(context=Checklist, name="comment", request_method="POST", permission=P.COMMENT_CHECKLIST)
def comment(context, request):
    """A reviewing State's or the secretariat's comment on one answer (R14); kept as written."""
    question = request.POST.get("question", "")
    section = section_of(request, context, question)
    return add_comment(request, context, question, request.resource_url(context) + f"#{section.key}")


def section_of(request, context, question):
    """The section that asks ``question``; 404 when the checklist has no such question."""
    section = next((s for s in context.sections() if any(q.id == question for q in s.questions)), None)
    if section is None:
        raise HTTPNotFound(translate(request, _("This checklist has no such question.")))
    return section


def shown_answer(request, answer):
    """``[(title, text, is_choice)]`` of a stored answer, translated for the page (the texts as written)."""
    return [(translate(request, title), translate(request, value) if choice else value, choice)
            for title, value, choice in answer_parts(answer)]


def _choice(name, title, choices):
    return colander.SchemaNode(colander.String(), name=name, title=title, missing="",
                               widget=deform.widget.SelectWidget(values=[("", "—")] + list(choices.items())),
                               validator=colander.OneOf(list(choices)))


def _texts(node, details):
    for name, title in details.items():
        node.add(colander.SchemaNode(colander.String(), name=name, title=title, missing="",
                                     validator=colander.Length(max=MAX_TEXT),
                                     widget=deform.widget.TextAreaWidget(rows=2)))


def section_schema(request, section, lang=None):
    """A colander schema for one section: per question (in ``lang``) an answer and its four texts; in the
    follow-up section (¶41), the progress made and the technical assistance received instead."""
    lang = lang or request.locale_name
    schema = CSRFSchema().bind(request=request)
    schema.add(colander.SchemaNode(colander.Integer(), name="version", widget=deform.widget.HiddenWidget(), title=""))
    for q in section.questions:
        node = colander.SchemaNode(colander.Mapping(), name=q.id, title=q.text_in(lang))
        if section.key == FOLLOW_UP:
            for name, choices in follow_up.CHOICES.items():
                node.add(_choice(name, follow_up.CHOICE_TITLES[name], choices))
            _texts(node, follow_up.DETAILS)
        else:
            node.add(_choice("answer", _("Answer", context="noun"), ANSWERS))
            _texts(node, DETAILS)
        schema.add(node)
    review = review_of(request.context)
    if getattr(review, "language", None) in LANGUAGES:
        mark_language(schema, review.language)  # the answers are written in the review's working language
    return schema


def _answer_text(request, answer):
    """An answer and its texts as lines ("Answer: Yes", "Legislation: …"), to compare two versions."""
    return "\n".join(f"{title}: {line}" for title, text, _choice in shown_answer(request, answer)
                     for line in text.splitlines())


@view_config(context=Checklist, name="answer", renderer="portal:templates/form.pt", permission=P.EDIT_CHECKLIST)
def answer_section(context, request):
    section = context.section(request.params.get("section", ""))
    if section is None:
        raise HTTPNotFound(translate(request, _("This checklist has no such section.")))
    lang = questions_language(request, context.__parent__)
    form = deform.Form(section_schema(request, section, lang), buttons=[button("save", _("Save draft"))],
                       action=request.resource_url(context, "@@answer", query={"section": section.key, "questions": lang}))
    page = {"page_title": section_title(request, section, lang),
            "intro": translate(request, _("Answers are saved as a draft; the focal point submits the whole checklist "
                                          "when every question is answered."))}
    if "save" in request.POST:
        controls = list(request.POST.items())
        try:
            data = form.validate(controls)
        except deform.ValidationFailure as failure:
            return {**page, "form": failure.render()}
        try:
            context.save_section(section.key, data, request.authenticated_userid, data["version"])
        except ChecklistConflict as conflict:
            # Nothing is lost: the saved answers stay, the reader's own are shown again for a second save.
            mine = {**data, "version": context.version(section.key)}
            request.response.status_int = 409
            who = conflict.saved["who"]
            return {**page, "form": form.render(mine), "error": translate(request, _(
                "${who} saved this section after you opened it. Your answers below are not saved yet: compare them "
                "with the saved ones, then save again.", mapping={"who": person_name(request, who)})),
                "conflict": show_conflict(request, who, [
                    (q.text_in(lang), _answer_text(request, context.answers.get(q.id) or {}),
                     _answer_text(request, data.get(q.id) or {})) for q in section.questions])}
        flash(request, _("Section saved as a draft."))
        return redirect(request.resource_url(context) + f"#{section.key}")
    appstruct = {"version": context.version(section.key)}
    for q in section.questions:
        saved = context.answers.get(q.id)
        if saved:
            appstruct[q.id] = dict(saved)
    previous = previous_checklist(context)
    if previous is None or not request.has_permission(P.VIEW, previous) or \
            not any(previous.answers.get(q.id) for q in section.questions):
        return {**page, "form": form.render(appstruct)}
    cycle = previous.__parent__.__parent__.__parent__
    if request.GET.get("copy") != "previous":
        page["offer"] = {"url": request.resource_url(context, "@@answer", query={
            "section": section.key, "questions": lang, "copy": "previous"}), "cycle": cycle.title}
        return {**page, "form": form.render(appstruct)}
    for q in section.questions:  # the previous answers, to check and update: nothing is saved until "Save draft"
        if previous.answers.get(q.id):
            appstruct[q.id] = {k: v for k, v in previous.answers[q.id].items() if k in ("answer", *DETAILS)}
    page["intro"] = translate(request, _("The answers given in ${cycle} are filled in below: check and update "
                                         "them, then save the draft.", mapping={"cycle": title_in(request, cycle)}))
    return {**page, "form": form.render(appstruct)}
