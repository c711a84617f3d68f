"""A small workflow state machine: states with role -> permission maps, guarded transitions, history.

A workflow is built from plain data (``Workflow.from_data``). Firing a transition checks that it
exists from the current state, that the caller has its permission on the object (through the
security policy, never an ``if`` on the user), and that its guard agrees; it then changes the
state, records who/when/comment in the object's history, and thereby changes the object's ACL.
Last it sends ``AfterTransition`` through the registry: every consequence of a move (audit, mail,
content it creates) is a subscriber (``portal/subscribers.py``), so it follows whatever fired it.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Optional

from persistent.list import PersistentList
from pyramid.threadlocal import get_current_registry

from language import _


class WorkflowError(Exception):
    """Base class of workflow errors; ``message`` is a translation string for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class InvalidTransition(WorkflowError):
    """The transition does not exist, or cannot be fired from the object's current state."""


class TransitionForbidden(WorkflowError):
    """The caller lacks the permission that the transition requires."""


class GuardRejected(WorkflowError):
    """The transition's guard refused (its message says why)."""


@dataclass(frozen=True)
class State:
    """One workflow state: its title and which permissions each role has on objects in it.

    ``inherit=False`` ends the object's ACL with deny-all: nothing from the parent applies.
    """

    name: str
    title: str
    roles: dict
    inherit: bool = True


@dataclass(frozen=True)
class Transition:
    """A named move from one of ``sources`` to ``target``, fired by holders of ``permission``.

    ``guard(context, request)`` returns None to allow, or a translation string saying why not. ``done``
    says in the history what happened, for a move that may stay in its state ("Confidentiality undertaking
    accepted"), where "Granted → Granted" would say nothing; such a move must have it (``from_data``).
    """

    name: str
    title: str
    sources: tuple
    target: str
    permission: str
    guard: Optional[Callable] = None
    style: str = "default"
    done: Optional[str] = None


@dataclass(frozen=True)
class AfterTransition:
    """Sent after a transition, when the object is in its new state and its history has the move.

    ``request`` is None when no web request fired it (a script, a test): subscribers then do what needs
    no request (audit, content) and leave what does (mail with links); see ``portal/subscribers.py``."""

    object: object
    workflow: "Workflow"
    transition: Transition
    source: str
    target: str
    actor: Optional[str]
    request: object = None
    comment: str = ""


@dataclass
class Workflow:
    """A state machine whose definition is data; see the module docstring."""

    name: str
    title: str
    initial: str
    states: dict = field(default_factory=dict)
    transitions: dict = field(default_factory=dict)

    @classmethod
    def from_data(cls, data):
        """Build a workflow from a dict: name, title, initial, states{name: {...}}, transitions[...]."""
        states = {
            name: State(name=name, title=s["title"], roles=dict(s.get("roles", {})), inherit=s.get("inherit", True))
            for name, s in data["states"].items()
        }
        transitions = {}
        for t in data["transitions"]:
            sources = tuple(t["from"]) if not isinstance(t["from"], str) else (t["from"],)
            for s in sources + (t["to"],):
                if s not in states:
                    raise ValueError(f"workflow {data['name']}: transition {t['name']} names unknown state {s}")
            if "after" in t:
                raise ValueError(f"workflow {data['name']}: {t['name']} has an after hook; subscribe to AfterTransition")
            if t["to"] in sources and not t.get("done"):
                raise ValueError(f"workflow {data['name']}: {t['name']} may stay in its state; say what it does (done)")
            if t["name"] in transitions:
                raise ValueError(f"workflow {data['name']}: duplicate transition {t['name']}")
            transitions[t["name"]] = Transition(
                name=t["name"],
                title=t["title"],
                sources=sources,
                target=t["to"],
                permission=t["permission"],
                guard=t.get("guard"),
                style=t.get("style", "default"),
                done=t.get("done"),
            )
        if data["initial"] not in states:
            raise ValueError(f"workflow {data['name']}: unknown initial state {data['initial']}")
        return cls(name=data["name"], title=data["title"], initial=data["initial"], states=states, transitions=transitions)

    # -- reading --------------------------------------------------------------------------

    def state_of(self, context):
        """The object's current state (a ``State``); the initial one if it has none yet."""
        return self.states[getattr(context, "workflow_state", None) or self.initial]

    def rolemap(self, context):
        """The role -> permissions map and inherit flag that apply to the object now."""
        state = self.state_of(context)
        return state.roles, state.inherit

    def transitions_from(self, context):
        """Transitions whose source is the object's current state, in definition order."""
        current = self.state_of(context).name
        return [t for t in self.transitions.values() if current in t.sources]

    def available(self, context, request):
        """Transitions the caller may fire now (permission held and guard agreeing): the buttons to show."""
        return [
            t
            for t in self.transitions_from(context)
            if request.has_permission(t.permission, context) and (t.guard is None or t.guard(context, request) is None)
        ]

    # -- changing -------------------------------------------------------------------------

    def initialize(self, context, actor=None, comment=""):
        """Put a new object in the initial state and start its history."""
        context.workflow_state = self.initial
        context.workflow_history = PersistentList()
        self._record(context, None, None, self.initial, actor, comment)

    def fire(self, context, request, name, comment="", check_permission=True, actor=None):
        """Fire transition ``name`` on ``context`` for ``request``'s user; return the new ``State``.

        Raises ``InvalidTransition``, ``TransitionForbidden`` or ``GuardRejected``; the object is
        unchanged when any of them is raised. ``check_permission=False`` is for transitions fired
        by the system on a verified capability (an activation token), with ``actor`` naming it.
        """
        transition = self.transitions.get(name)
        if transition is None:
            raise InvalidTransition(_("There is no action “${name}”.", mapping={"name": name}))
        current = self.state_of(context)
        if current.name not in transition.sources:
            raise InvalidTransition(
                _(
                    "“${action}” is not possible while the item is “${state}”.",
                    mapping={"action": transition.title, "state": current.title},
                )
            )
        if check_permission and not request.has_permission(transition.permission, context):
            raise TransitionForbidden(_("You are not allowed to do “${action}” here.", mapping={"action": transition.title}))
        if transition.guard is not None:
            refusal = transition.guard(context, request)
            if refusal is not None:
                raise GuardRejected(refusal)
        if actor is None:
            actor = getattr(request, "authenticated_userid", None) if request is not None else None
        context.workflow_state = transition.target
        self._record(context, transition.name, current.name, transition.target, actor, comment)
        registry = getattr(request, "registry", None) or get_current_registry()
        registry.notify(AfterTransition(context, self, transition, current.name, transition.target, actor,
                                        request, comment or ""))
        return self.states[transition.target]

    def _record(self, context, transition, source, target, actor, comment):
        if getattr(context, "workflow_history", None) is None:
            context.workflow_history = PersistentList()
        context.workflow_history.append(
            {
                "transition": transition,
                "from": source,
                "to": target,
                "actor": actor,
                "when": datetime.now(timezone.utc),
                "comment": comment or "",
            }
        )
