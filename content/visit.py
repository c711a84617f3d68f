"""The country visit or joint meeting of a review (ToR ¶28, R15) at ``/cycles/<id>/reviews/<ISO3>/visit``:
kind, dates, place, participants, agenda and minutes; it takes place only with the consent of the State
under review (its workflow, ``workflows/definitions/visit.py``)."""

from persistent.list import PersistentList

from content.events import modified
from content.base import Resource
from content.base import decision
from language import _
from workflows.registry import get_role_maps

KINDS = {"country-visit": _("Country visit"), "joint-meeting": _("Joint meeting in Vienna")}
FIELDS = ("kind", "start", "end", "place", "participants", "agenda")
MEETING_FIELDS = ("date", "organization", "kind", "participants", "topic")  # a meeting with stakeholders (¶29)


def _shown(meeting):
    return {f"meeting_{k}": str(v or "") for k, v in meeting.items()}


class Visit(Resource):
    """A proposed, agreed, declined, held or cancelled visit; every change of its details is recorded."""

    type_name = "Visit"
    type_title = _("Country visit or joint meeting")

    def __init__(self, details, proposed_by, actor):
        self.proposed_by = proposed_by  # ISO3 of the proposing reviewing state, or None (secretariat)
        self.minutes = ""
        self.changes = PersistentList()
        self.update(details, actor)

    @property
    def title(self):
        return KINDS[self.kind]

    def rolemap(self):
        """The visit workflow's roles while the review is under way; read-only once the review is final."""
        if getattr(self.__parent__, "workflow_state", None) == "final":
            return get_role_maps("final-review-visit")["final"], False
        return Resource.rolemap(self)

    def update(self, details, actor):
        """Set the visit's details (``FIELDS``) and record the change."""
        for name in FIELDS:
            setattr(self, name, details.get(name))
        self.changes.append(decision(actor, change="details", **{k: str(details.get(k) or "") for k in FIELDS}))
        modified(self, "details")

    # ¶29: the meetings with national stakeholders on the visit's programme, each
    # ``{"date", "organization", "kind" (content.consultation.KINDS), "participants", "topic"}``, in date order.
    stakeholder_meetings = ()

    def add_stakeholder_meeting(self, meeting, actor):
        """Put a meeting with national stakeholders on the programme; a change of the visit's details (R15)."""
        entry = {"date": meeting["date"], **{k: meeting.get(k) or "" for k in MEETING_FIELDS if k != "date"}}
        self.stakeholder_meetings = tuple(sorted(self.stakeholder_meetings + (entry,),
                                                 key=lambda m: (m["date"], m["organization"])))
        self.changes.append(decision(actor, change="details", stakeholder_meeting="added", **_shown(entry)))
        modified(self, "stakeholder-meetings")

    def remove_stakeholder_meeting(self, index, actor):
        """Take meeting number ``index`` (from 0) off the programme; IndexError when there is none."""
        meetings = list(self.stakeholder_meetings)
        if index < 0:
            raise IndexError(index)
        entry = meetings.pop(index)
        self.stakeholder_meetings = tuple(meetings)
        self.changes.append(decision(actor, change="details", stakeholder_meeting="removed", **_shown(entry)))
        modified(self, "stakeholder-meetings")

    def record_minutes(self, minutes, actor):
        self.minutes = minutes
        self.changes.append(decision(actor, change="minutes"))
        modified(self, "minutes")

    def missing_for_held(self):
        """Guard of ``record-held``: a visit is recorded as held with its minutes."""
        return None if self.minutes.strip() else _("Record the minutes of the visit first.")

    def json_fields(self, request):
        return {"kind": self.kind, "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None, "place": self.place,
                "participants": self.participants, "agenda": self.agenda, "minutes": self.minutes,
                "proposed_by": self.proposed_by, "state": self.workflow_state,
                "stakeholder_meetings": [{**m, "date": m["date"].isoformat() if m["date"] else None}
                                         for m in self.stakeholder_meetings]}
