"""``/@@dashboard``: a signed-in user's country reviews (as state under review, as reviewing state, or
all for the secretariat) with the stage, the next action, the next milestone or answer due, and overdue
flags; focal points and experts see the work of their state's reviews. Never a ranking (R22)."""

from pyramid.view import view_config

from datetime import date

from content.access_requests import SCOPES
from content.meetings import years_without_meeting
from content.milestones import timeline
from content.root import PortalRoot
from portal.i18n import LANGUAGE_NAMES, _, translate
from portal.review_tasks import next_action, open_questions
from portal.views import user_state
from portal.views.consultation import stakeholder_invitations
from portal.views.helpers import state_name, state_value
from portal.views.helpers import sort_key
from portal.views.translations import awaiting_work, document_groups, summary_title
from workflows import permissions as P

ROLES = {"reviewed": _("State under review"), "reviewing": _("Reviewing State"), "staff": _("Secretariat")}


@view_config(context=PortalRoot, name="dashboard", renderer="portal:templates/dashboard.pt", permission=P.DASHBOARD)
def dashboard(context, request):
    request.environ["portal.no_page_cache"] = True  # overdue flags depend on today's date
    own = user_state(request)
    today = date.today()
    cycles = []
    for cycle in sorted(context["cycles"].values(), key=lambda c: (-c.first_year, c.__name__)):
        if cycle.workflow_state == "closed" or "reviews" not in cycle:
            continue
        rows = []
        for review in cycle["reviews"].values():
            if not request.has_permission(P.VIEW, review):
                continue
            role = "reviewed" if review.state == own else ("reviewing" if own in review.parties() else "staff")
            # A final review has no deadline left: its open milestones and questions are no longer due (issue 21).
            final = review.workflow_state == "final"
            open_ = [m for m in timeline(review) if m[3] != "done"] if not final else []
            questions = open_questions(review) if not final else []
            rows.append({"review": review, "name": state_name(request, review.state), "role": ROLES[role],
                         "action": next_action(review, role, own, request.has_permission),
                         "access": [(decision_action(request, item), request.resource_url(item))
                                    for item in pending_requests(request, review)
                                    if request.has_permission(P.DECIDE_ACCESS, item)],
                         "question_due": questions[0].due if questions and role != "staff" else None,
                         "next": open_[0] if open_ else None,
                         "overdue": [m[1] for m in open_ if m[3] == "overdue"]
                         + ([_("Answer to a question")] if questions and questions[0].due < today else [])})
        if rows:
            key = sort_key(request)
            rows.sort(key=lambda r: (r["review"].year, key(r["name"])))
            cycles.append({"cycle": cycle, "rows": rows})
    return {"page_title": translate(request, _("My reviews")), "cycles": cycles,
            "access_requests": access_requests(request, context), "scopes": SCOPES,
            "translations": summaries_in_translation(request, context),
            "language_names": LANGUAGE_NAMES, "meeting_gaps": meeting_gaps(request, context, today),
            "invitations": stakeholder_invitations(request, request.identity)}  # a national stakeholder's (¶27)


def meeting_gaps(request, root, today):
    """For whoever records the Group's meetings: the years of the review process with no meeting (¶39)."""
    meetings = root["group"]["meetings"]
    return years_without_meeting(root, today) if request.has_permission(P.EDIT, meetings) else []


def _final_reviews(root):
    for cycle in sorted(root["cycles"].values(), key=lambda c: (-c.first_year, c.__name__)):
        yield from cycle.final_reviews()


def pending_requests(request, review):
    """The requests for access to ``review``'s report that await the decision of the State under review and
    that the reader may see (R20), oldest first."""
    folder = review.get("access-requests")
    items = [r for r in (folder.values() if folder is not None else ())
             if r.workflow_state == "requested" and request.has_permission(P.VIEW, r)]
    return sorted(items, key=lambda r: r.filed)


def decision_action(request, item):
    """The next action of whoever decides on a request (the State under review's focal point, R20)."""
    return _("Decide on the request of ${requester} to read the report",
             mapping={"requester": state_value(request, item.requester_state)})


def access_requests(request, root):
    """Requests for access the reader may see (R20): those its state filed or received; all of them for the
    secretariat. Newest first. A request still awaiting a decision says what happens next: the decision to
    take, for whoever may take it; whose decision is awaited, for the others (the requesting State)."""
    rows = []
    for review in _final_reviews(root):
        folder = review.get("access-requests")
        for item in (folder.values() if folder is not None else ()):
            if request.has_permission(P.VIEW, item):
                waiting = item.workflow_state == "requested"
                decides = waiting and request.has_permission(P.DECIDE_ACCESS, item)
                rows.append({"request": item, "requester": state_name(request, item.requester_state),
                             "owner": state_name(request, review.state), "review": review,
                             "next": decision_action(request, item) if decides else (
                                 _("Awaiting the decision of ${state}",
                                   mapping={"state": state_value(request, review.state)}) if waiting else None),
                             "decides": decides})
    rows.sort(key=lambda r: r["request"].filed, reverse=True)
    return rows


def summaries_in_translation(request, root):
    """Documents (thematic reports, executive summaries) with a language version the reader may translate or
    publish (R21, ¶50): the secretariat's queue, with the state of each version."""
    rows = []
    for group in document_groups(root):
        waiting = awaiting_work(request, group)
        if waiting:
            rows.append({"group": group, "title": summary_title(request, group), "waiting": waiting})
    return rows
