"""Helpers shared by the view modules (so that no view imports another): States' names and their
alphabetical order (R22), the workflow box, the titles of report sections, parts and checklist sections,
and the form behind a link that lets its holder choose a password."""

from babel.lists import format_list

from content.checklists import FOLLOW_UP
from content.references import KINDS as REFERENCE_KINDS
from language.collation import sort_key as collation_key
from content.users import MAX_PASSWORD_LENGTH, password_problem
from content.states import INSTRUMENT_SHORT, INSTRUMENTS
from portal.i18n import _, localizer, translate, translate_with
from portal.views.errors import error_response
from workflows import get_workflow
from workflows import permissions as P

def sort_key(request):
    """The key that sorts names in the page language's alphabetical order (ICU collation)."""
    lang = request.locale_name
    return lambda name: collation_key(name, lang)

def state_name(request, iso3):
    """A state's UN short name in the page language (its code if the registry does not know it)."""
    state = request.root["states"].get(iso3) if "states" in request.root else None
    return state.name(request.locale_name) if state is not None else iso3

def state_value(request, iso3):
    """A state's names for a message's mapping (``${state}``, ``${the_state}``, ``${of_state}``)."""
    state = request.root["states"].get(iso3) if "states" in request.root else None
    return state.name_value() if state is not None else iso3

def review_line(request, review):
    """"Review of Benin, 2027: First review cycle" in the page language, with the name's grammar."""
    cycle = review.__parent__.__parent__
    return translate(request, _("Review of ${state}, ${year}: ${cycle}",
                                mapping={"state": state_value(request, review.state), "year": review.year,
                                         "cycle": title_in(request, cycle)}))

def shared_notice(request, iso3):
    """The notice on a report read under an access grant (ToR ¶37), naming the State it was shared with."""
    if not iso3:
        return None
    return translate(request, _("Shared with ${state} under a confidentiality undertaking (ToR ¶37). Do not pass it "
                                "on. This reading is recorded.", mapping={"state": state_value(request, iso3)}))

def title_in(request, resource):
    """A resource's title in the page language (a State by its name in it)."""
    name = getattr(resource, "name", None)
    return name(request.locale_name) if callable(name) else translate(request, resource.title)

def alphabetical(request, codes):
    """``[(iso3, name)]`` in alphabetical order of the names in the page language (R22: never ranked)."""
    key = sort_key(request)
    return sorted(((c, state_name(request, c)) for c in codes), key=lambda pair: key(pair[1]))

def reviewer_lines(request, assignments):
    """``{state under review: [(instruments, [(iso3, name), ...]), ...]}``: instruments with the same
    reviewers on one line ("Convention, Firearms Protocol: A, B"), in the instruments' order."""
    by_state = {}
    for a in sorted(assignments, key=lambda a: INSTRUMENTS.index(a["instrument"])):
        by_state.setdefault(a["under_review"], {}).setdefault(tuple(sorted(a["reviewers"])), []).append(a["instrument"])
    lang = request.locale_name
    return {
        sur: [(format_list([translate(request, INSTRUMENT_SHORT[i]) for i in instruments], locale=lang),
               alphabetical(request, reviewers)) for reviewers, instruments in groups.items()]
        for sur, groups in by_state.items()
    }

# Transitions whose button leads to a page that says what they mean before it fires them: (workflow, transition)
# -> the view of the object that does (portal/views/checklists.py: submitting the checklist, R13).
CONFIRMED = {("country-review", "submit-checklist"): "submit-checklist"}

def workflow_info(context, request):
    """What the ``workflow`` macro needs: current state title, the buttons the user may press, and for those
    that ask for confirmation first the page they lead to (``confirm``: {transition name: url})."""
    workflow = get_workflow(context)
    if workflow is None:
        return None
    transitions = workflow.available(context, request)
    confirm = {t.name: request.resource_url(context, "@@" + CONFIRMED[workflow.name, t.name])
               for t in transitions if (workflow.name, t.name) in CONFIRMED}
    return {"state": workflow.state_of(context), "transitions": transitions, "confirm": confirm}

def section_title(request, section, lang=None):
    """A checklist section's heading in the page language, or in ``lang`` (the questions' language)."""
    lang = lang or request.locale_name
    if section.key == FOLLOW_UP:
        message = _("Follow-up of the previous review: observations and technical assistance needs (ToR ¶41)")
    else:
        message = _("${instrument}, article ${article}: ${title}",
                    mapping={"instrument": INSTRUMENT_SHORT[section.instrument], "article": section.article,
                             "title": section.title_in(lang)})
    if lang == request.locale_name:
        return translate(request, message)
    return translate_with(localizer(lang, request.registry), message)

def password_by_link(context, request, kind, invalid, page_title, chosen):
    """The page of a link that lets its holder choose a password (``kind``: ``activation`` or ``reset``).
    The token is the capability: an invalid, used or expired one gets ``invalid`` (title, message) as a
    400. A password that passes the rules, typed twice alike, is handed to ``chosen(user, password)``,
    whose response is returned; otherwise the form again, with what is wrong."""
    token = request.params.get("token", "")[:200]
    user = context["users"].find_by_token(token, kind)
    if user is None:
        return error_response(request, 400, *invalid)
    request.response.cache_control = "no-store"
    error = None
    if request.method == "POST":
        password = request.POST.get("password", "")[: MAX_PASSWORD_LENGTH + 1]
        confirm = request.POST.get("confirm", "")[: MAX_PASSWORD_LENGTH + 1]
        error = password_problem(password, user) or (None if password == confirm else _("The two passwords differ."))
        if error is None:
            return chosen(user, password)
    return {"page_title": translate(request, page_title), "user": user, "token": token,
            "error": translate(request, error) if error else None}


def shown_references(request, references, holder):
    """Citations for a page: kind title, texts, and the file when the reader may open it (its own ACL)."""
    try:
        files = holder["files"]
    except KeyError:
        files = None
    rows = []
    for reference in references:
        attachment = files.get(reference["file"]) if files is not None and reference.get("file") else None
        if attachment is not None and not request.has_permission(P.VIEW, attachment):
            attachment = None
        rows.append({**reference, "kind_title": REFERENCE_KINDS.get(reference["kind"], reference["kind"]),
                     "attachment": attachment})
    return rows
