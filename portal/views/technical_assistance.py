"""The secretariat's tracking of technical assistance provided (ToR ¶41): every need of a final report, what the
State said about it in the next cycle's follow-up, and the status the secretariat records, with its history."""

from pyramid.view import view_config

from content.follow_up import ASSISTANCE, PROGRESS, follow_up_totals, later_answer
from content.report import KINDS
from content.technical_assistance import (MAX_NOTE, MAX_PROVIDER, STATUSES, TechnicalAssistanceRecord,
                                          technical_assistance_needs)
from portal.i18n import _, translate
from portal.views import flash, redirect
from portal.views.checklists import shown_answer
from portal.views.helpers import state_name
from workflows import permissions as P


def _follow_up(request, cycle, review, finding):
    """What the State reported about this need in the follow-up of a later cycle (¶41), translated for the page,
    or None: ``{"cycle", "language", "parts": [(title, text, is_choice)]}``."""
    found = later_answer(request.root, cycle, review.state, finding["id"])
    if found is None:
        return None
    later, other, answer = found
    return {"cycle": later.title, "language": other.language or "en", "parts": shown_answer(request, answer)}


def _page(context, request, errors=None, values=None, general=None):
    rows = []
    for cycle, review, finding in technical_assistance_needs(request.root):
        key = context.key(cycle, review, finding)
        rows.append({"key": key, "cycle": cycle, "review": review, "state": state_name(request, review.state),
                     "finding": finding, "current": context.current(key), "history": context.history(key),
                     "follow_up": _follow_up(request, cycle, review, finding)})
    cycles = sorted(request.root["cycles"].values(), key=lambda c: (-c.first_year, c.__name__))
    totals = [(cycle, follow_up_totals(cycle)) for cycle in cycles]
    return {"page_title": translate(request, context.title), "rows": rows, "statuses": STATUSES,
            "follow_up_cycles": [(cycle, t) for cycle, t in totals if t["states"]],
            "progress_titles": PROGRESS, "assistance_titles": ASSISTANCE,
            "need_title": KINDS["ta-need"], "errors": errors or {}, "values": values or {},
            "general": general}


@view_config(context=TechnicalAssistanceRecord, renderer="portal:templates/technical_assistance.pt",
             permission=P.VIEW)
def tracker(context, request):
    request.environ["portal.no_page_cache"] = True
    return _page(context, request)


@view_config(context=TechnicalAssistanceRecord, name="record", request_method="POST",
             renderer="portal:templates/technical_assistance.pt", permission=P.EDIT)
def record(context, request):
    """Record the status of one need; bad input is refused with a message and changes nothing."""
    request.environ["portal.no_page_cache"] = True
    key = request.POST.get("need", "")
    status = request.POST.get("status", "")
    provider = request.POST.get("provider", "").strip()
    note = request.POST.get("note", "").strip()
    known = {context.key(*row) for row in technical_assistance_needs(request.root)}
    if key not in known:
        error = _("This technical assistance need is not in any final report.")
    elif status not in STATUSES:
        error = _("Choose a status of the list.")
    elif len(provider) > MAX_PROVIDER or len(note) > MAX_NOTE:
        error = _("The provider may have at most 300 characters and the note at most 2,000.")
    elif status in ("under-way", "provided") and not provider:
        error = _("Say who provides the assistance.")
    else:
        context.record(key, status, provider, note, request.authenticated_userid, request.locale_name)
        flash(request, _("Recorded."))
        return redirect(request.resource_url(context) + "#" + key.replace("/", "-"))
    request.response.status_int = 400
    if key not in known:
        return _page(context, request, general=translate(request, error))
    return _page(context, request, {key: translate(request, error)},
                 {key: {"status": status, "provider": provider, "note": note}})
