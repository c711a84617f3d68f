"""Country visit or joint meeting workflow (ToR ¶28, R15): proposed -> agreed -> held, or declined.

A visit happens only if the State under review agrees: only its focal point can move a proposal to
``agreed``, and a visit can be recorded as held only from ``agreed``; a change of the details of an
agreed visit takes it back to ``proposed``, for the State under review to agree to the new details. Reviewers or the secretariat
may propose again after a refusal or a cancellation.
"""

from language import _
from workflows import Workflow
from workflows import permissions as P
from workflows.definitions.country_review import _roles

_SEE = {P.VIEW}
_ALL = {"sur": _SEE, "rev": _SEE}

def changed_since_agreement(visit, request):
    """Guard of ``revise``: the details of the agreed visit have changed since it was agreed."""
    since = visit.workflow_history[-1]["when"] if visit.workflow_history else None
    last = visit.changes[-1] if visit.changes else None
    if last is None or last.get("change") != "details" or (since is not None and last["when"] < since):
        return _("Nothing has changed since the visit was agreed.")
    return None


VISIT = Workflow.from_data(
    {
        "name": "visit",
        "title": _("Country visit or joint meeting"),
        "initial": "proposed",
        "states": {
            "proposed": {"title": _("Proposed"), "inherit": False,
                         "roles": _roles(**_ALL, sur_fp={P.CONSENT_VISIT}, rev_fp={P.PLAN_VISIT},
                                         sec={P.VIEW, P.VIEW_HISTORY, P.PLAN_VISIT})},
            "agreed": {"title": _("Agreed by the State under review"), "inherit": False,
                       "roles": _roles(**_ALL, sur_fp={P.PLAN_VISIT}, rev_fp={P.PLAN_VISIT},
                                       sec={P.VIEW, P.VIEW_HISTORY, P.PLAN_VISIT})},
            "declined": {"title": _("Declined by the State under review"), "inherit": False,
                         "roles": _roles(**_ALL, rev_fp={P.PROPOSE_VISIT},
                                         sec={P.VIEW, P.VIEW_HISTORY, P.PROPOSE_VISIT})},
            "held": {"title": _("Held"), "inherit": False,
                     "roles": _roles(**_ALL, sec={P.VIEW, P.VIEW_HISTORY, P.PLAN_VISIT})},
            "cancelled": {"title": _("Cancelled"), "inherit": False,
                          "roles": _roles(**_ALL, rev_fp={P.PROPOSE_VISIT},
                                          sec={P.VIEW, P.VIEW_HISTORY, P.PROPOSE_VISIT})},
        },
        "transitions": [
            {"name": "agree", "title": _("Agree to the visit"), "from": ["proposed"], "to": "agreed",
             "permission": P.CONSENT_VISIT, "style": "primary"},
            {"name": "decline", "title": _("Decline the visit"), "from": ["proposed"], "to": "declined",
             "permission": P.CONSENT_VISIT},
            {"name": "record-held", "title": _("Record the visit as held"), "from": ["agreed"], "to": "held",
             "permission": P.PLAN_VISIT, "guard": lambda visit, request: visit.missing_for_held()},
            # New dates, place or agenda need the consent of the State under review again (R15).
            {"name": "revise", "title": _("Ask again for the agreement of the State under review"),
             "from": ["agreed"], "to": "proposed", "permission": P.PLAN_VISIT, "guard": changed_since_agreement},
            {"name": "cancel", "title": _("Cancel the visit"), "from": ["proposed", "agreed"], "to": "cancelled",
             "permission": P.PLAN_VISIT},
            {"name": "propose-again", "title": _("Propose again"), "from": ["declined", "cancelled"],
             "to": "proposed", "permission": P.PROPOSE_VISIT},
        ],
    }
)

# Once the review is final, its visit is a record: everyone taking part reads it, nobody changes it.
FINAL_REVIEW_ROLES = _roles(sur=_SEE, rev=_SEE, sec={P.VIEW, P.VIEW_HISTORY})
