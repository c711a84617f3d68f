"""Helpers shared by the view modules (so that no view imports another): States' names and their
alphabetical order (R22), the workflow box, the titles of report sections, parts and checklist sections,
and the form behind a link that lets its holder choose a password."""

import unicodedata

from babel.lists import format_list

from content.checklists import FOLLOW_UP
from content.users import MAX_PASSWORD_LENGTH, password_problem
from content.states import INSTRUMENT_SHORT, INSTRUMENTS
from content.report import BLUEPRINT, GENERAL, KINDS
from portal.i18n import _, translate
from portal.views.errors import error_response
from workflows import get_workflow


def sort_key(name):
    """Alphabetical order that ignores accents and case (É files with E), good for Latin and Cyrillic scripts."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def state_name(request, iso3):
    """A state's name in the page language (its code if the registry does not know it)."""
    state = request.root["states"].get(iso3) if "states" in request.root else None
    return state.name(request.locale_name) if state is not None else iso3


def title_in(request, resource):
    """A resource's title in the page language (a State by its name in it)."""
    name = getattr(resource, "name", None)
    return name(request.locale_name) if callable(name) else translate(request, resource.title)


def alphabetical(request, codes):
    """``[(iso3, name)]`` in alphabetical order of the names in the page language (R22: never ranked)."""
    return sorted(((c, state_name(request, c)) for c in codes), key=lambda pair: sort_key(pair[1]))


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


def workflow_info(context, request):
    """What the ``workflow`` macro needs: current state title and the buttons the user may press."""
    workflow = get_workflow(context)
    if workflow is None:
        return None
    return {"state": workflow.state_of(context), "transitions": workflow.available(context, request)}


def section_titles(request, report):
    """``{key: title}`` in blueprint order, then one implementation section per article."""
    titles = {k: translate(request, t) for k, t in BLUEPRINT.items()}
    for key, instrument, article, title in report.articles():
        titles[key] = translate(request, _("Implementation of ${instrument}, article ${article}: ${title}",
                                           mapping={"instrument": INSTRUMENT_SHORT[instrument], "article": article,
                                                    "title": title}))
    return titles


def article_titles(request, report):
    titles = {GENERAL: translate(request, _("General"))}
    titles.update({key: f"{INSTRUMENT_SHORT[instrument]} {article}" for key, instrument, article, _t in report.articles()})
    return titles


def part_title(request, part, report):
    """A part's title in the page language: the section's title, or the finding's kind and article."""
    if part.kind == "section":
        return section_titles(request, report).get(part.key, part.key)
    return translate(request, _("${kind} (${article})", mapping={
        "kind": KINDS.get(part.finding_kind, part.finding_kind),
        "article": article_titles(request, report).get(part.article, part.article)}))


def section_title(request, section):
    if section.key == FOLLOW_UP:
        return translate(request, _("Follow-up of the previous review: observations and technical assistance needs "
                                    "(ToR ¶41)"))
    return translate(request, _("${instrument}, article ${article}: ${title}",
                                mapping={"instrument": INSTRUMENT_SHORT[section.instrument],
                                         "article": section.article, "title": section.title}))


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
