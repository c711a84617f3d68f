"""The national consultation on a review's checklist (ToR ¶27, ¶30) at ``checklist/consultation/<n>``: the State under
review's invitations of national stakeholders to chosen sections, their changes, and the stakeholders' comments."""

from persistent.list import PersistentList
from pyramid.traversal import resource_path_tuple

from content.base import Resource, decision, now
from content.events import modified
from content.folder import Folder
from content.review_parts import Comments, InReview, ReviewPart
from language import _
from workflows import roles as R
from workflows.registry import get_role_maps, get_workflow

# The kinds of national stakeholders ¶27 names (also the kinds of a visit's meetings with stakeholders, ¶29).
KINDS = {
    "civil-society": _("Civil society"),
    "private-sector": _("Private sector"),
    "academia": _("Academia"),
    "other": _("Other"),
}
MAX_COMMENT = 5_000
MAX_ORGANIZATION = 300


def _stage(resource):
    review = resource.review
    return getattr(review, "workflow_state", None)


class Consultation(ReviewPart, Folder):
    """``checklist/consultation``: the invitations, numbered 1, 2, 3…; like a part of the review, its role map
    follows the review's stage (``CONSULTATION_ROLES``): the State under review and the secretariat always, the
    reviewing States once the checklist is submitted (the record; each invitation has its own ACL)."""

    type_name = "Consultation"
    type_title = _("National consultation")
    part_roles = "consultation"

    def invitations(self):
        """The invitations in the order they were made."""
        return sorted(self.values(), key=lambda i: int(i.__name__))

    def open_invitation_of(self, login):
        return next((i for i in self.values() if i.login == login and i.is_open), None)

    def invite(self, user, sections, actor):
        """Invite the stakeholder account ``user`` to the section keys ``sections``; the invitation grants its
        local role once it is in place (the search index records where it is held)."""
        invitation = self.add(self.next_number(), StakeholderInvitation(user, sections, actor))
        get_workflow(invitation).initialize(invitation, actor)  # open; withdrawn by its one transition
        invitation.grant_local_role(f"user:{user.login}", R.STAKEHOLDER_CONTRIBUTOR)
        # Where the stakeholder's dashboard finds its invitations (traversal paths; ``content.base.existing``).
        user.invitations = tuple(getattr(user, "invitations", ())) + (resource_path_tuple(invitation),)
        modified(self, "invitations")
        return invitation

    def record(self):
        """What the reviewing States read (¶27): per invitation the organization, its kind, when, which sections
        and whether it was withdrawn; never a person's name or a comment."""
        return [{"number": i.__name__, "organization": i.organization, "kind": i.kind, "invited": i.invited_at,
                 "sections": list(i.sections), "withdrawn": i.withdrawn_at} for i in self.invitations()]

    def json_fields(self, request):
        return {"record": [{**row, "invited": row["invited"].isoformat(),
                            "withdrawn": row["withdrawn"].isoformat() if row["withdrawn"] else None}
                           for row in self.record()]}


class StakeholderInvitation(InReview, Resource):
    """One stakeholder invited to some sections of the checklist: ``open`` or ``withdrawn`` (its workflow,
    ``workflows/definitions/stakeholder_invitation.py``). Its ACL follows the review's stage and its own state
    (``INVITATION_ROLES``, ``WITHDRAWN_INVITATION_ROLES``): the stakeholder's local role opens this invitation and
    nothing else."""

    type_name = "StakeholderInvitation"
    type_title = _("Invitation to the national consultation")
    holds_local_roles = True
    acl_inherit = False

    def __init__(self, user, sections, actor):
        self.login = user.login
        self.fullname = user.fullname
        self.organization = user.organization or ""
        self.kind = user.organization_kind or "other"
        self.sections = tuple(sections)
        self.invited_by = actor
        self.invited_at = now()
        self.withdrawn_at = None
        self.changes = PersistentList([decision(actor, change="invited", added=list(self.sections), removed=[])])
        self.comments = Comments()  # question id -> the stakeholder's comments, kept as written

    @property
    def title(self):
        return self.organization or self.login

    @property
    def is_open(self):
        return self.workflow_state == "open"

    def rolemap(self):
        maps = "stakeholder-invitation" if self.is_open else "withdrawn-stakeholder-invitation"
        return get_role_maps(maps).get(_stage(self), {}), False

    def set_sections(self, sections, actor):
        """Open exactly ``sections`` (keys, at least one) to the stakeholder; the change is recorded. Returns
        ``(added, removed)``."""
        sections = tuple(dict.fromkeys(sections))
        if not sections:
            raise ValueError("no section")
        added = [k for k in sections if k not in self.sections]
        removed = [k for k in self.sections if k not in sections]
        if added or removed:
            self.sections = sections
            self.changes.append(decision(actor, change="sections", added=added, removed=removed))
            modified(self, "sections")
        return added, removed

    def withdrawn(self, actor):
        """After the ``withdraw`` transition, whatever fired it: the stakeholder loses its role here; the record
        stays for the State and the secretariat."""
        self.withdrawn_at = now()
        self.changes.append(decision(actor, change="withdrawn", added=[], removed=[]))
        self.revoke_local_role(f"user:{self.login}", R.STAKEHOLDER_CONTRIBUTOR)
        modified(self, "withdrawn")

    def comment(self, question_id, actor, text):
        """The stakeholder's comment on a question of an opened section, kept as written."""
        added = self.comments.add(question_id, actor, None, text[:MAX_COMMENT])
        modified(self, "comments")
        return added

    def json_fields(self, request):
        return {"login": self.login, "fullname": self.fullname, "organization": self.organization, "kind": self.kind,
                "sections": list(self.sections), "invited_by": self.invited_by,
                "invited": self.invited_at.isoformat(),
                "withdrawn": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
                "comments": {key: [{"who": c["who"], "text": c["text"], "when": c["when"].isoformat()}
                                   for c in self.comments.on(key)] for key in self.comments}}


def consultation_of(checklist, create=False):
    """The consultation of ``checklist``; made (located below it) on the first invitation when ``create``."""
    consultation = getattr(checklist, "consultation", None)
    if consultation is None and create:
        consultation = Consultation()
        consultation.__parent__, consultation.__name__ = checklist, "consultation"
        checklist.consultation = consultation
    return consultation
