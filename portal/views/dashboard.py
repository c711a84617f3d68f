"""``/@@dashboard``: a signed-in user's country reviews (as state under review, as reviewing state, or
all for the secretariat) with the stage, the next milestone and overdue flags; never a ranking (R22)."""

from pyramid.view import view_config

from content.milestones import timeline
from content.root import PortalRoot
from portal.i18n import _, translate
from portal.views import user_state
from portal.views.cycles import state_name
from portal.views.states import sort_key
from workflows import permissions as P

ROLES = {"reviewed": _("State under review"), "reviewing": _("Reviewing State"), "staff": _("Secretariat")}


@view_config(context=PortalRoot, name="dashboard", renderer="portal:templates/dashboard.pt", permission=P.DASHBOARD)
def dashboard(context, request):
    request.environ["portal.no_page_cache"] = True  # overdue flags depend on today's date
    own = user_state(request)
    cycles = []
    for cycle in sorted(context["cycles"].values(), key=lambda c: (-c.first_year, c.__name__)):
        if cycle.workflow_state == "closed" or "reviews" not in cycle:
            continue
        rows = []
        for review in cycle["reviews"].values():
            if not request.has_permission(P.VIEW, review):
                continue
            role = "reviewed" if review.state == own else ("reviewing" if own in review.parties() else "staff")
            open_ = [m for m in timeline(review) if m[3] != "done"]
            rows.append({"review": review, "name": state_name(request, review.state), "role": ROLES[role],
                         "next": open_[0] if open_ else None,
                         "overdue": [m[1] for m in open_ if m[3] == "overdue"]})
        if rows:
            rows.sort(key=lambda r: (r["review"].year, sort_key(r["name"])))
            cycles.append({"cycle": cycle, "rows": rows})
    return {"page_title": translate(request, _("My reviews")), "cycles": cycles}
