"""Workflow of a part of a final report (docs/architecture.md §4, R18, R19): confidential -> published -> confidential.

Publication is the only way anything of a review becomes public: ``published`` gives view to everyone
on that one part (a section or a finding), nothing else. Only the focal point of the State under review
publishes and withdraws; each move is in the part's history and the audit log.
"""

from language import _
from workflows import Workflow
from workflows import permissions as P
from workflows import roles as R
from workflows.definitions.country_review import _roles

_PUBLISH = {P.PUBLISH_REPORT}
_SEE = {P.VIEW}

REPORT_PART = Workflow.from_data(
    {
        "name": "report-part",
        "title": _("Part of a report"),
        "initial": "confidential",
        "states": {
            "confidential": {"title": _("Confidential"), "inherit": False,
                             "roles": {R.GRANTEE: _SEE,
                                       **_roles(sur=_SEE, sur_fp=_PUBLISH, rev=_SEE, sec={P.VIEW, P.VIEW_HISTORY})}},
            "published": {"title": _("Published"), "inherit": False,
                          "roles": {R.ANONYMOUS: _SEE,
                                    **_roles(sur=_SEE, sur_fp=_PUBLISH, rev=_SEE, sec={P.VIEW, P.VIEW_HISTORY})}},
        },
        "transitions": [
            {"name": "publish", "title": _("Publish"), "from": ["confidential"], "to": "published",
             "permission": P.PUBLISH_REPORT},
            {"name": "unpublish", "title": _("Withdraw from publication"), "from": ["published"],
             "to": "confidential", "permission": P.PUBLISH_REPORT},
        ],
    }
)
