"""The national consultation on a checklist (ToR ¶27, ¶30; docs/stakeholders.md): the State under review's focal
point invites national stakeholders to chosen sections, changes them or withdraws the invitation; a stakeholder reads
the questions and draft answers of its sections and comments on them; the record of the consultation."""

import re
import unicodedata

import colander
import deform
from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from content.base import existing
from content.checklists import Checklist
from content.consultation import KINDS, MAX_COMMENT, MAX_ORGANIZATION, Consultation, StakeholderInvitation, \
    consultation_of
from content.experts import account_login
from language import LANGUAGES
from portal.forms import CSRFSchema, button, form_page, language_select, make_form
from portal.i18n import _, _n, text_direction, translate
from portal.notices import tell
from portal.notifications import send_activation
from portal.views import flash, redirect
from portal.views.checklists import questions_language, shown_answer
from portal.views.helpers import section_title, state_value
from portal.views.users import register_account
from workflows import get_workflow
from workflows import permissions as P


def section_choices(request, checklist):
    """``[(key, title)]`` of the sections a stakeholder may be invited to: the article sections. The follow-up
    section quotes the previous report, which stays confidential unless published (R18, R19), so it is not offered."""
    return [(s.key, section_title(request, s)) for s in checklist.article_sections()]


@colander.deferred
def _sections_widget(node, kw):
    return deform.widget.CheckboxChoiceWidget(values=section_choices(kw["request"], kw["checklist"]))


@colander.deferred
def _sections_validator(node, kw):
    known = {key for key, _title in section_choices(kw["request"], kw["checklist"])}

    def validate(node, value):
        if not value:
            raise colander.Invalid(node, _("Choose at least one section."))
        if not set(value) <= known:
            raise colander.Invalid(node, _("This checklist has no such section."))

    return validate


def stakeholder_account(users, email):
    """The accounts whose e-mail address is ``email`` (any case), active or not."""
    email = (email or "").strip().lower()
    return [u for u in users.values() if (u.email or "").lower() == email]


@colander.deferred
def _email_validator(node, kw):
    """An address of another kind of account, or of another State's stakeholder, is refused: a stakeholder account
    serves the State that invited it, and nothing else."""
    users, iso3, consultation = kw["users"], kw["state"], kw["consultation"]

    def validate(node, value):
        colander.Email()(node, value)
        colander.Length(max=254)(node, value)
        for user in stakeholder_account(users, value):
            if user.function != "stakeholder" or user.stakeholder_of != iso3:
                raise colander.Invalid(node, _("This address belongs to another account of the portal; give the "
                                               "stakeholder's own address."))
            if user.workflow_state == "deactivated":
                raise colander.Invalid(node, _("The account of this address has been deactivated; ask the "
                                               "secretariat to reactivate it."))
            if consultation is not None and consultation.open_invitation_of(user.login) is not None:
                raise colander.Invalid(node, _("This stakeholder is invited already: change the sections of its "
                                               "invitation instead."))

    return validate


class InviteSchema(CSRFSchema):
    fullname = colander.SchemaNode(colander.String(), title=_("Full name"), validator=colander.Length(min=2, max=200))
    email = colander.SchemaNode(colander.String(), title=_("E-mail address"), validator=_email_validator,
                                description=_("An account of your State's stakeholders with this address is used "
                                              "again; otherwise an account is made and its activation link mailed."))
    organization = colander.SchemaNode(colander.String(), title=_("Organization"),
                                       validator=colander.Length(min=2, max=MAX_ORGANIZATION))
    kind = colander.SchemaNode(colander.String(), title=_("Kind of organization"), validator=colander.OneOf(list(KINDS)),
                               widget=deform.widget.SelectWidget(values=list(KINDS.items())))
    sections = colander.SchemaNode(colander.Set(), title=_("Sections opened to the stakeholder"),
                                   widget=_sections_widget, validator=_sections_validator)
    language = colander.SchemaNode(colander.String(), title=_("Language of correspondence"), widget=language_select(),
                                   validator=colander.OneOf(LANGUAGES))


def _account(request, users, data, iso3):
    """The stakeholder's account: the State's stakeholder account with this address, else a new one (inactive,
    its activation link mailed, as a nominated person's: portal/views/users.py)."""
    found = stakeholder_account(users, data["email"])
    if found:
        user = found[0]
        user.organization, user.organization_kind = data["organization"].strip(), data["kind"]  # as given now
        if user.workflow_state == "nominated":  # not activated yet: a fresh link (older ones stop working)
            send_activation(request, user, users.issue_activation(user))
        return user, False
    ascii_name = unicodedata.normalize("NFKD", data["fullname"]).encode("ascii", "ignore").decode("ascii")
    # ``ken-amina-odhiambo``; ``ken-stakeholder`` for a name in another script (lowercase: LOGIN_PATTERN)
    login = account_login(users, iso3, ascii_name if re.search("[A-Za-z0-9]", ascii_name) else "stakeholder")
    user = register_account(request, users, login, data["fullname"], data["email"].strip(), "stakeholder", None,
                            data["language"])
    user.organization, user.organization_kind, user.stakeholder_of = data["organization"].strip(), data["kind"], iso3
    return user, True


@view_config(context=Checklist, name="invite-stakeholder", renderer="portal:templates/form.pt",
             permission=P.INVITE_STAKEHOLDER)
def invite(context, request):
    """¶27: the focal point of the State under review invites a national stakeholder to chosen sections."""
    review = context.review
    users = request.root["users"]
    form = make_form(InviteSchema, request, buttons=[button("save", _("Invite"))], checklist=context, users=users,
                     state=review.state, consultation=consultation_of(context))
    page_title = translate(request, _("Invite a national stakeholder: checklist of ${state}",
                                      mapping={"state": state_value(request, review.state)}))

    def save(data):
        user, new = _account(request, users, data, review.state)
        invitation = consultation_of(context, create=True).invite(
            user, [k for k, _t in section_choices(request, context) if k in data["sections"]],
            request.authenticated_userid)
        if new or not user.active:
            flash(request, _("${name} is invited; the activation link of the new account has been sent to ${email}.",
                             mapping={"name": user.fullname, "email": user.email}))
        else:
            tell(request, "stakeholder/invited", invitation, named=[user.login])
            flash(request, _("${name} is invited and has been told.", mapping={"name": user.fullname}))
        return redirect(request.resource_url(invitation))

    return form_page(request, form, page_title, save, appstruct={"language": review.language or request.locale_name},
                     intro=translate(request, _(
                         "ToR ¶27: the State under review prepares its answers through broad consultations with "
                         "national stakeholders. An invited stakeholder reads the questions and your current answers of "
                         "the sections you open to it, and comments on them while the checklist is open; it sees nothing "
                         "else of the review. The reviewing States see who was consulted, when and on which sections, "
                         "never the comments.")))


@view_config(context=Consultation, renderer="portal:templates/consultation.pt", permission=P.VIEW)
def consultation_view(context, request):
    """The record of the consultation (¶27): organization, kind, when, which sections, withdrawn; a link to each
    invitation for those who may read it (the State under review and the secretariat)."""
    checklist = context.__parent__
    review = context.review
    titles = {s.key: section_title(request, s) for s in checklist.sections()}
    rows = [{"invitation": i, "sections": [titles.get(k, k) for k in i.sections],
             "link": request.resource_url(i) if request.has_permission(P.VIEW, i) else None,
             "comments": sum(len(i.comments.on(k)) for k in i.comments) if request.has_permission(P.VIEW, i) else None}
            for i in context.invitations()]
    return {"page_title": translate(request, _("National consultation on the checklist of ${state}",
                                               mapping={"state": state_value(request, review.state)})),
            "review": review, "checklist": checklist, "rows": rows, "kinds": KINDS,
            "can_read_checklist": request.has_permission(P.VIEW_PROGRESS, checklist),
            "can_invite": request.has_permission(P.INVITE_STAKEHOLDER, checklist)}


def _opened(request, invitation, lang):
    checklist = invitation.__parent__.__parent__
    sections = []
    for key in invitation.sections:
        section = checklist.section(key)
        if section is None:
            continue
        sections.append({"key": key, "title": section_title(request, section, lang),
                         "questions": [(q, q.text_in(lang), shown_answer(request, checklist.answers.get(q.id) or {}),
                                        invitation.comments.on(q.id)) for q in section.questions]})
    return sections


@view_config(context=StakeholderInvitation, renderer="portal:templates/stakeholder_invitation.pt",
             permission=P.VIEW)
def invitation_view(context, request):
    """The sections opened to the stakeholder: questions, the State's current answers (read-only), the stakeholder's
    comments; for the focal point of the State under review the sections to change and the withdrawal."""
    review = context.review
    checklist = context.__parent__.__parent__
    lang = questions_language(request, review)
    can_manage = request.has_permission(P.INVITE_STAKEHOLDER, context)
    return {"page_title": translate(request, _("National consultation: ${organization}",
                                               mapping={"organization": context.organization})),
            "review": review, "state": state_value(request, review.state),
            "sections": _opened(request, context, lang), "questions_lang": lang,
            "questions_dir": text_direction(lang),
            "kinds": KINDS, "max_comment": MAX_COMMENT,
            "can_comment": request.has_permission(P.COMMENT_AS_STAKEHOLDER, context),
            "can_manage": can_manage, "checklist_open": review.workflow_state == "checklist",
            "choices": section_choices(request, checklist) if can_manage else [],
            "titles": {s.key: section_title(request, s) for s in checklist.sections()},
            "consultation": context.__parent__ if request.has_permission(P.VIEW, context.__parent__) else None,
            "changes": list(reversed(context.changes))}


def _question(invitation, question_id):
    """The question ``question_id`` of a section opened by ``invitation``; 404 otherwise."""
    checklist = invitation.__parent__.__parent__
    for key in invitation.sections:
        section = checklist.section(key)
        if section is not None and any(q.id == question_id for q in section.questions):
            return section
    raise HTTPNotFound()


@view_config(context=StakeholderInvitation, name="comment", request_method="POST",
             permission=P.COMMENT_AS_STAKEHOLDER)
def comment(context, request):
    """The stakeholder's comment on a question of an opened section, kept as written; the State under review is
    told (without the text)."""
    question = request.POST.get("question", "")
    section = _question(context, question)
    text = request.POST.get("text", "").strip()
    back = request.resource_url(context) + f"#{section.key}"
    if not text or len(text) > MAX_COMMENT:
        flash(request, _n("A comment needs a text of at most ${count} character.",
                          "A comment needs a text of at most ${count} characters.", MAX_COMMENT), "error")
        return redirect(back)
    context.comment(question, request.authenticated_userid, text)
    tell(request, "stakeholder/commented", context, mapping={"organization": context.organization})
    flash(request, _("Your comment has been added; the State under review reads it."))
    return redirect(back)


@view_config(context=StakeholderInvitation, name="sections", request_method="POST",
             permission=P.INVITE_STAKEHOLDER)
def change_sections(context, request):
    """The focal point opens other sections to the stakeholder (at least one); the change is recorded."""
    checklist = context.__parent__.__parent__
    known = [key for key, _title in section_choices(request, checklist)]
    chosen = set(request.POST.getall("sections"))
    if not chosen or not chosen <= set(known):
        flash(request, _("Choose at least one section of this checklist."), "error")
        return redirect(request.resource_url(context))
    added, removed = context.set_sections([k for k in known if k in chosen], request.authenticated_userid)
    if added or removed:
        flash(request, _("The sections opened to the stakeholder have been changed."))
    else:
        flash(request, _("Nothing changed."))
    return redirect(request.resource_url(context))


@view_config(context=StakeholderInvitation, name="withdraw", request_method="POST",
             permission=P.INVITE_STAKEHOLDER)
def withdraw(context, request):
    """The focal point withdraws the invitation: the stakeholder no longer sees anything of it; the record stays."""
    get_workflow(context).fire(context, request, "withdraw")  # the subscriber ends the stakeholder's role
    flash(request, _("The invitation has been withdrawn; the stakeholder no longer has access to it."))
    return redirect(request.resource_url(context.__parent__))


def stakeholder_invitations(request, user):
    """The invitations of ``user`` (a national stakeholder) that it may read now, newest first: its dashboard."""
    found = existing(request.root, getattr(user, "invitations", ()) if user is not None else ())
    return sorted((i for i in found if isinstance(i, StakeholderInvitation) and request.has_permission(P.VIEW, i)),
                  key=lambda i: i.invited_at, reverse=True)
