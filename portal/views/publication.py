"""Publication of a final report by the State under review (ToR ¶36, R19): choose sections and findings
(or the whole report), confirm, and each chosen part becomes public, recorded with who and when in its
history and the audit log; withdrawing works the same way. Also the part's own page and the audit log."""

import hashlib

from pyramid.httpexceptions import HTTPBadRequest
from pyramid.view import view_config

from content.audit import EVENTS, AuditLog
from content.publication import ReportPart
from content.report import Report
from portal.access_audit import read_under_grant
from portal.i18n import _, _n, translate
from portal.views import flash, redirect
from portal.report_titles import part_title
from portal.views.helpers import review_line, shared_notice, shown_references, state_value
from workflows import get_workflow
from workflows import permissions as P


def shown(parts, to_publish, to_withdraw):
    """A digest of what a confirmation shows: every part's publication state and how many moves it has made
    (so a part withdrawn and published again since is not the same), and the change asked for. The
    confirmation carries it back, so that it only ever does what its reader saw."""
    states = ";".join(f"{p.__name__}={p.workflow_state}/{len(p.workflow_history)}" for p in parts.ordered())
    change = ",".join(r["name"] for r in to_publish) + "|" + ",".join(r["name"] for r in to_withdraw)
    return hashlib.sha256(f"{states}#{change}".encode()).hexdigest()[:32]


def _chosen(request, parts):
    names = request.POST.getall("part")
    unknown = [n for n in names if n not in parts]
    if unknown:
        raise HTTPBadRequest(translate(request, _("This report has no such part.")))
    return set(names)


@view_config(context=Report, name="publish", renderer="portal:templates/publish.pt", permission=P.PUBLISH_REPORT)
def publish(context, request):
    """Step 1: choose; step 2 (``review``): confirm what becomes public and what is withdrawn; then done."""
    parts = context.get("parts")
    if parts is None:
        raise HTTPBadRequest(translate(request, _("Only a final report can be published.")))
    rows = [{"name": p.__name__, "part": p, "title": part_title(request, p, context)} for p in parts.ordered()]
    review = context.review
    page = {"page_title": translate(request, _("Publish the report on the review of ${state}",
                                               mapping={"state": state_value(request, review.state)})),
            "review": review, "rows": rows, "step": "choose"}
    if "review" not in request.POST and "confirm" not in request.POST:
        return {**page, "chosen": {p.__name__ for p in parts.values() if p.published}}
    chosen = {r["name"] for r in rows} if "whole" in request.POST else _chosen(request, parts)
    to_publish = [r for r in rows if r["name"] in chosen and not r["part"].published]
    to_withdraw = [r for r in rows if r["name"] not in chosen and r["part"].published]
    if not to_publish and not to_withdraw:
        flash(request, _("Nothing changed."))
        return redirect(request.resource_url(context))
    confirmation = {**page, "step": "confirm", "chosen": chosen, "to_publish": to_publish, "to_withdraw": to_withdraw,
                    "seen": shown(parts, to_publish, to_withdraw)}
    if "confirm" not in request.POST:
        return confirmation
    if request.POST.get("seen") != confirmation["seen"]:
        # A confirmation replayed after the publication changed, or one that was never shown: nothing
        # happens; what confirming would do now is shown instead.
        request.response.status_int = 409
        return {**confirmation, "error": translate(request, _(
            "The publication of this report has changed since this confirmation was shown, or the confirmation "
            "is incomplete. Nothing was changed: check the parts below and confirm again."))}
    for transition, selection in (("publish", to_publish), ("unpublish", to_withdraw)):
        for row in selection:  # each move is audited by its subscriber (portal/subscribers.py)
            get_workflow(row["part"]).fire(row["part"], request, transition)
    published = _n("${count} part published", "${count} parts published", len(to_publish))
    withdrawn = _n("${count} part withdrawn", "${count} parts withdrawn", len(to_withdraw))
    flash(request, _("Done: ${published}, ${withdrawn}.", mapping={"published": published, "withdrawn": withdrawn}))
    return redirect(request.resource_url(context))


@view_config(context=ReportPart, renderer="portal:templates/report_part.pt", permission=P.VIEW)
def part_view(context, request):
    report = context.__parent__.__parent__
    review = report.review
    publication = context.publication() if context.published else None
    shared_with = read_under_grant(request, context)
    return {"page_title": part_title(request, context, report),
            "shared_with": shared_with, "shared_notice": shared_notice(request, shared_with),
            "review_line": review_line(request, review), "cycle": review.__parent__.__parent__,
            "review": review, "publication": publication,
            "can_read_review": request.has_permission(P.VIEW, review),
            "references": shown_references(request, getattr(context, "references", ()), report)}


def published_parts(request, state):
    """``[(cycle, review, [(part, title, publication)])]``: the published parts of ``state``'s reports."""
    from pyramid.traversal import find_root

    rows = []
    root = find_root(state)
    for cycle in sorted(root["cycles"].values(), key=lambda c: -c.first_year):
        review = cycle["reviews"].get(state.iso3) if "reviews" in cycle else None
        parts = review["report"].get("parts") if review is not None else None
        if parts is None:
            continue
        shown = [(p, part_title(request, p, review["report"]), p.publication()) for p in parts.ordered()
                 if p.published and request.has_permission(P.VIEW, p)]
        if shown:
            rows.append((cycle, review, shown))
    return rows


@view_config(context=AuditLog, renderer="portal:templates/audit.pt", permission=P.VIEW_AUDIT)
def audit_view(context, request):
    try:
        start = max(0, int(request.params.get("start", 0)))
    except ValueError:
        start = 0
    return {"page_title": translate(request, context.type_title), "rows": context.latest(start, 100),
            "events": EVENTS, "total": len(context), "start": start}
