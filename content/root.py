"""The portal root and the top-level folders of docs/architecture.md §2."""

from BTrees.OOBTree import OOBTree
from persistent.list import PersistentList

from content.folder import Folder
from content.funding import FundingFolder
from language import _
from workflows import permissions as P
from workflows import roles as R
from content.states import StatesFolder
from content.technical_assistance import TechnicalAssistanceRecord
from content.users import UsersFolder


class PortalRoot(Folder):
    """``/``: public to read; everything not granted anywhere below is denied (deny by default)."""

    type_name = "PortalRoot"
    type_title = _("Review Portal")
    acl_inherit = False
    role_permissions = {
        R.ANONYMOUS: {P.VIEW},
        R.AUTHENTICATED: {P.DASHBOARD},
        R.SECRETARIAT: {P.VIEW, P.TRANSLATE},  # TRANSLATE here opens the translator's queue only
        R.ADMINISTRATOR: {P.VIEW, P.ADMINISTER},
    }

    def __init__(self):
        super().__init__()
        self.generation = 0
        self.evolve_log = PersistentList()
        self.attempts = OOBTree()  # key -> content.attempts.AttemptLog

    @property
    def title(self):
        return self.type_title


class SectionFolder(Folder):
    """A top-level folder; its title and access come from the class (see the subclasses)."""

    @property
    def title(self):
        return self.type_title


class CyclesFolder(SectionFolder):
    """``/cycles``: review cycles; the list of cycles and who is reviewed when is public (¶3b)."""

    type_name = "Cycles"
    type_title = _("Review cycles")
    role_permissions = {
        R.ANONYMOUS: {P.VIEW},
        R.SECRETARIAT: {P.VIEW, P.MANAGE_CYCLES},
        R.ADMINISTRATOR: {P.VIEW},
    }


class ExpertsFolder(SectionFolder):
    """``/experts``: the secretariat's list of governmental experts (¶21, ¶21bis, R17), not public.
    Focal points nominate their state's experts here and see only those (each entry has its own ACL)."""

    type_name = "Experts"
    hides_entries = True
    type_title = _("Governmental experts")
    acl_inherit = False
    role_permissions = {
        R.SECRETARIAT: {P.VIEW, P.EDIT, P.NOMINATE_EXPERT, P.EXPORT_EXPERTS},
        R.ADMINISTRATOR: {P.VIEW},
        R.FOCAL_POINT: {P.VIEW, P.NOMINATE_EXPERT},
    }


class GroupFolder(SectionFolder):
    """``/group``: the Implementation Review Group: meetings and thematic reports (¶38-40, ¶34)."""

    type_name = "Group"
    type_title = _("Implementation Review Group")


class MeetingsFolder(SectionFolder):
    """``/group/meetings``: the Group's meetings are public; the secretariat records them (¶38-40)."""

    type_name = "Meetings"
    type_title = _("Meetings")
    role_permissions = {R.ANONYMOUS: {P.VIEW}, R.SECRETARIAT: {P.VIEW, P.EDIT}}


class ThematicFolder(SectionFolder):
    """``/group/thematic``: the list is public (each report opens once published); the secretariat compiles (¶34)."""

    type_name = "Thematic"
    type_title = _("Thematic implementation reports")
    role_permissions = {R.ANONYMOUS: {P.VIEW}, R.SECRETARIAT: {P.VIEW, P.EDIT}}


class ConferenceFolder(SectionFolder):
    """``/conference``: the decisions of the Conference on the review process, public (¶42-45)."""

    type_name = "Conference"
    type_title = _("Decisions of the Conference")
    role_permissions = {R.ANONYMOUS: {P.VIEW}, R.SECRETARIAT: {P.VIEW, P.EDIT}}


class TrainingsFolder(SectionFolder):
    """``/trainings``: training courses for experts (¶31); the States' focal points and experts, the secretariat,
    administrators and observers read them (not a national stakeholder, who reads its invitations only)."""

    type_name = "Trainings"
    type_title = _("Training courses")
    acl_inherit = False
    # Focal points put their own State's experts on a course (the experts they may edit, R17, ¶31).
    role_permissions = {R.EXPERT: {P.VIEW}, R.OBSERVER: {P.VIEW}, R.ADMINISTRATOR: {P.VIEW},
                        R.FOCAL_POINT: {P.VIEW, P.REGISTER_TRAINEE}, R.SECRETARIAT: {P.VIEW, P.EDIT, P.REGISTER_TRAINEE}}


def build_tree(root):
    """Create the missing top-level folders of docs/architecture.md §2 (states and users come from their modules)."""

    for name, factory in (
        ("states", StatesFolder),
        ("experts", ExpertsFolder),
        ("cycles", CyclesFolder),
        ("group", GroupFolder),
        ("conference", ConferenceFolder),
        ("trainings", TrainingsFolder),
        ("technical-assistance", TechnicalAssistanceRecord),
        ("funding", FundingFolder),
        ("users", UsersFolder),
    ):
        if name not in root:
            root.add(name, factory())
    group = root["group"]
    if "meetings" not in group:
        group.add("meetings", MeetingsFolder())
    if "thematic" not in group:
        group.add("thematic", ThematicFolder())
