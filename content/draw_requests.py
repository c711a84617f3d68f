"""A focal point's request about the draws at ``/cycles/<id>/requests/<n>`` (R3, R8, R9, R10):
who asks, for what, why, and the secretariat's decision. Only the requester and the secretariat see it."""

from content.base import Resource
from content.base import now
from language import _
from workflows import roles as R

KINDS = {
    "deferral": _("Defer our review to the following year (ToR ¶14)"),
    "volunteer": _("Volunteer to be reviewed in this year (ToR ¶14, ¶55)"),
    "reviewer-deferral": _("Defer serving as reviewing State in the year of our own review (ToR ¶20)"),
    "redraw": _("Repeat the drawing of our reviewing States (ToR ¶19)"),
    "exemption": _("Exemption from one review, another State volunteering in our place (ToR ¶20)"),
}


class DrawRequest(Resource):
    """Filed by a state's focal point (or by the secretariat on its behalf); decided by the secretariat."""

    type_name = "DrawRequest"
    holds_local_roles = True
    type_title = _("Request about the draws")

    def __init__(self, kind, state, year, justification, actor, under_review=None):
        self.kind = kind
        self.state = state  # ISO3 of the requesting state
        self.year = int(year)
        self.justification = justification
        self.under_review = under_review  # exemption: the state under review whose review is concerned
        self.filed_by = actor
        self.filed_at = now()
        self.volunteer = None  # exemption: the state that volunteers in its place (named when granted)
        self.exceptional = ""  # redraw beyond the limit: the decision on exceptional circumstances
        self.draw = None  # redraw: the name of the draw record it produced
        self.grant_local_role(f"state:{state}:focal-point", R.REQUESTER)

    @property
    def title(self):
        return f"{self.state} · {self.kind} · {self.year}"

    def json_fields(self, request):
        return {"kind": self.kind, "state": self.state, "year": self.year, "under_review": self.under_review,
                "justification": self.justification, "volunteer": self.volunteer,
                "exceptional": self.exceptional, "draw": self.draw, "filed_by": self.filed_by,
                "filed_at": self.filed_at.isoformat()}
