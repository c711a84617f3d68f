"""The security matrix (issue 5): principal kind x resource x workflow state x view, allowed or denied.

Regenerate the golden file, after reviewing the change, with::

    python -m portal.scripts.security_matrix tests/data/security_matrix.json

It builds the demo world (``portal.scripts.demo``) in a temporary FileStorage with blobs, adds what the demo lacks
(``prepare``), and writes one cell a line: ``[resource kind, state, principal kind, view, allowed]``.

* Resource kinds name a resource by its role, from the root (``states/state``, ``cycles/cycle/draws``)
  or from its review (``review``, ``review/dialogue/question/attachment``, ``review/report/part``); one
  representative per (kind, state), chosen by a fixed preference, never by which states the draw picked.
* The state is the workflow state ("-" without one); inside a review it is the review's stage, followed
  by the resource's own workflow state when it has one (``final/granted``).
* Principal kinds are relative to the representative's review (or, outside reviews, a reference review):
  ``sur-*`` the state under review, ``rev-*`` its first reviewing state, ``third-*`` a state taking no
  part (nor requesting access), ``requester-*`` the state that filed an access request, ``grantee-*``
  a state granted access to the review's final report, ``nominating-fp`` the focal point of an expert's
  state, ``donor-*`` the donor State of a funding record (of an expenditure's contribution; on ``funding``, the
  first donor State), ``stakeholder`` a national stakeholder (¶27): on an invitation its own, elsewhere one invited on the
  review's checklist, else on the reference review's. ``states/state`` is the state under review's, ``users/user`` the account of ``sur-fp``.
  Principals are those the web app computes: ``[Everyone, Authenticated] + user.principals()``.
* Views are the registered views that Pyramid would pick for the resource's class (most specific
  context per name); allowed is ``ACLHelper().permits`` with the view's permission.
"""

import json
import sys
import tempfile

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.security import NO_PERMISSION_REQUIRED

from content.funding import donor_state_of
from content.review_parts import review_of

STAFF_KINDS = ("anonymous", "secretariat", "admin", "observer")
STATE_KINDS = ("sur", "rev", "third")

# type_name -> label in a resource kind; resources whose type is not here are not in the matrix.
LABELS = {
    "PortalRoot": "", "States": "states", "State": "state", "Users": "users", "User": "user",
    "Cycles": "cycles", "Cycle": "cycle", "Draws": "draws", "Draw": "draw", "DrawRequests": "requests",
    "DrawRequest": "request", "CountryReviews": "reviews", "Experts": "experts", "Expert": "expert",
    "Group": "group", "Meetings": "meetings", "Thematic": "thematic", "Trainings": "trainings",
    "CountryReview": "review", "Checklist": "checklist", "Dialogue": "dialogue", "Question": "question",
    "Attachment": "attachment", "Assistance": "assistance", "AssistanceRequest": "request", "Report": "report",
    "ReportParts": "parts", "ReportPart": "part", "Visit": "visit", "AccessRequests": "access-requests",
    "AccessRequest": "request", "AuditLog": "audit", "TranslationGroup": "summary", "Translation": "translation",
    "TranslationRequests": "translation-requests", "TranslationRequest": "request", "Course": "course",
    "Meeting": "meeting", "Recommendation": "recommendation", "ThematicReport": "item", "Conference": "conference",
    "Decision": "decision", "TechnicalAssistance": "technical-assistance",
    "OutsideSources": "sources", "OutsideSource": "source",
    "Consultation": "consultation", "StakeholderInvitation": "invitation",
    "Funding": "funding", "FundingRecord": "record", "Expenditure": "expenditure",
}


# -- the world ------------------------------------------------------------------------------------

def prepare(root):
    """Build the demo world and add what it lacks: an attachment on one question of each stage that has
    questions, and one withdrawn part in the final report that a state was granted access to."""
    from portal.scripts.demo import build_demo, build_demo_cycle, build_demo_experts
    from workflows import get_workflow

    build_demo(root)
    build_demo_experts(root)
    build_demo_cycle(root)
    done = set()
    for review in _reviews(root):
        dialogue = review.get("dialogue")
        questions = list(dialogue.values()) if dialogue is not None else []
        if questions and review.workflow_state not in done:
            done.add(review.workflow_state)
            question = questions[0]
            if not any(getattr(child, "type_name", None) == "Attachment" for child in question.values()):
                question.post("portal-demo", review.state, "The table of convictions (demo).",
                              [("a.txt", b"text")])
        sources = review.get("sources")  # a source with its document in the stages before the demo's (dialogue on)
        early = review.workflow_state in ("scheduled", "checklist", "desk-review")
        if sources is not None and early and ("sources", review.workflow_state) not in done and not len(sources):
            done.add(("sources", review.workflow_state))
            sources.add_source("portal-demo", None, {"organization": "African Union", "title": "Report (demo)",
                                                     "link": "https://au.int/"}, ("a.txt", b"text"))
        if _grantees(review) and "report" in review and "parts" in review["report"]:
            parts = review["report"]["parts"]
            if not any(p.workflow_state == "confidential" for p in parts.values()):
                part = parts.ordered()[0]
                get_workflow(part).fire(part, None, "unpublish", check_permission=False, actor="portal-demo")
    _outside_expert(root)
    _stakeholders(root)


def _stakeholders(root):
    """The ``stakeholder`` principal kind (¶27): on the reference review's checklist an account invited to one
    section (open) and another whose invitation was withdrawn."""
    from content.consultation import consultation_of
    from content.users import User, hash_password
    from portal.scripts.demo import DEMO_PASSWORD
    from workflows import get_workflow

    reference = _reference(root)
    consultation = consultation_of(reference["checklist"], create=True)
    if len(consultation):
        return
    keys = [s.key for s in reference["checklist"].article_sections()]
    for login, withdrawn in (("matrix-stakeholder-withdrawn", True), ("matrix-stakeholder", False)):
        user = root["users"].add(login, User(login, "Matrix Stakeholder", f"{login}@demo.invalid", "stakeholder"))
        user.organization, user.organization_kind, user.stakeholder_of = "Matrix NGO", "civil-society", reference.state
        user.password_hash, user.workflow_state = hash_password(DEMO_PASSWORD), "active"  # signs in as the demo's do
        invitation = consultation.invite(user, keys[:1], f"{reference.state.lower()}-fp")
        if withdrawn:
            get_workflow(invitation).fire(invitation, None, "withdraw", check_permission=False,
                                          actor=f"{reference.state.lower()}-fp")


def _stakeholder_login(review):
    """The stakeholder of ``review``'s consultation: its first open invitation's (None without one)."""
    consultation = getattr(review["checklist"], "consultation", None) if review is not None and "checklist" in review \
        else None
    invited = [i for i in (consultation.invitations() if consultation is not None else ()) if i.is_open]
    return invited[0].login if invited else None


def _donors(root):
    """The States that are donors of a funding record (¶52): their focal points read their own records."""
    funding = root.get("funding")
    return {r.donor_state for r in funding.records() if r.donor_state} if funding is not None else set()


def _reviews(root):
    """All country reviews, the preferred representatives first: those with access requests, then by path."""
    found = []
    for cycle in root["cycles"].values():
        if "reviews" in cycle:
            found += [(cycle.__name__, review) for review in cycle["reviews"].values()]
    return [r for _c, r in sorted(found, key=lambda cr: (not len(cr[1].get("access-requests") or ()),
                                                         cr[0], cr[1].__name__))]


def _reference(root):
    """The review whose States the principal kinds of resources outside reviews are: the first preferred review
    none of whose parties (nor its first grantee) is a donor, so that no ``sur``, ``rev`` or ``grantee`` reads
    funding records because the random draw made a donor take part; None without reviews."""
    donors = _donors(root)
    reviews = _reviews(root)
    clear = [r for r in reviews if not donors & (set(r.parties()) | set(_grantees(r)[:1]))]
    return (clear or reviews or [None])[0]


def _grantees(review):
    folder = review.get("access-requests")
    return sorted(r.requester_state for r in (folder.values() if folder is not None else ())
                  if r.workflow_state == "granted" and r.accepted)


# -- representatives and principal kinds ------------------------------------------------------------

def _kind(resource):
    labels = []
    node = resource
    while node is not None and node.type_name != "CountryReview" and node.__parent__ is not None:
        labels.append(LABELS[node.type_name])
        node = node.__parent__
    if node is not None and node.type_name == "CountryReview":
        labels.append("review")
    return "/".join(reversed(labels)) or "/"


def _state(resource):
    review = review_of(resource)
    own = getattr(resource, "workflow_state", None)
    if review is None or review is resource:
        return own or "-"
    return f"{review.workflow_state}/{own}" if own else review.workflow_state


def _walk(resource):
    """``resource`` and every descendant of a type in ``LABELS`` (with a resource's own folders: a checklist's
    national consultation)."""
    if resource.type_name not in LABELS:
        return
    yield resource
    children = list(resource.values()) if hasattr(resource, "data") and hasattr(resource, "values") else []
    for child in children + list(getattr(resource, "subresources", tuple)()):
        if getattr(child, "type_name", None) is not None:
            yield from _walk(child)


def _people(root, review):
    """``{principal kind prefix: ISO3}`` around ``review``: sur, rev, third and, if any, grantee."""
    if review is None:
        return {}
    parties = sorted(s.iso3 for s in root["states"].values() if s.is_party("UNTOC"))
    taking_part = set(review.parties()) | {r.requester_state for r in (review.get("access-requests") or {}).values()}
    donors = _donors(root)  # a third State that gave money would read its funding records
    roles = {"sur": review.state, "rev": review.reviewing_states()[0],
             "third": next(s for s in parties if s not in taking_part and s not in donors)}
    grantees = _grantees(review)
    if grantees:
        roles["grantee"] = grantees[0]
    return roles


def _outside_expert(root):
    """Make sure one expert belongs to a state that is none of the reference review's principal kinds, so
    that the expert's cells never depend on which states the random draw picked."""
    from content.experts import Expert, next_expert_name

    role_states = set(_people(root, _reference(root)).values())
    experts = root["experts"]
    if any(e.state not in role_states for e in experts.values()):
        return
    parties = sorted(s.iso3 for s in root["states"].values() if s.is_party("UNTOC"))
    state = next(s for s in parties if s not in role_states and f"{s.lower()}-fp" in root["users"])
    experts.add(next_expert_name(experts, state), Expert(state, "Matrix Expert", "", {}, "portal-demo"))


def representatives(root):
    """``[(kind, state, resource, {principal kind: login or None})]``, one per (kind, state), sorted."""
    users = root["users"]
    reviews = _reviews(root)
    reference = _reference(root)

    def people(review):
        return _people(root, review)

    role_states = set(people(reference).values())

    def preference(resource):
        """Which candidate of a (kind, state) represents it: a fixed order, independent of the draw."""
        ref_sur = reference.state if reference is not None else None
        if resource.type_name == "Expert":  # an expert of a state that no other principal kind belongs to
            return (resource.state in role_states, _path(resource))
        if resource.type_name == "User":
            return (resource.__name__ != f"{(ref_sur or '').lower()}-fp", resource.__name__)
        if resource.type_name == "State":
            return (resource.__name__ != ref_sur, resource.__name__)
        review = review_of(resource)
        if review is not None:
            return (reviews.index(review), _path(resource))
        return (0, _path(resource))

    chosen = {}
    candidates = [r for top in root.values() if getattr(top, "type_name", None) in LABELS for r in _walk(top)]
    candidates.append(root)
    for resource in sorted(candidates, key=preference):
        chosen.setdefault((_kind(resource), _state(resource)), resource)

    result = []
    for (kind, state), resource in sorted(chosen.items()):
        review = review_of(resource) or reference
        roles = people(review)
        logins = {"anonymous": None, "secretariat": "secretariat", "admin": "admin", "observer": "observer"}
        for who in STATE_KINDS + (("grantee",) if "grantee" in roles else ()):
            logins[f"{who}-fp"] = f"{roles[who].lower()}-fp"
            logins[f"{who}-expert"] = f"{roles[who].lower()}-expert"
        if resource.type_name == "AccessRequest":
            logins["requester-fp"] = f"{resource.requester_state.lower()}-fp"
            logins["requester-expert"] = f"{resource.requester_state.lower()}-expert"
        if resource.type_name == "Expert":
            logins["nominating-fp"] = f"{resource.state.lower()}-fp"
        donor = donor_state_of(resource)  # ¶52: a donor State's focal point reads its own funding records
        if donor:
            logins["donor-fp"] = f"{donor.lower()}-fp"
            logins["donor-expert"] = f"{donor.lower()}-expert"
        # ¶27: an invitation's own stakeholder; elsewhere one invited on the review (else on the reference review)
        logins["stakeholder"] = resource.login if resource.type_name == "StakeholderInvitation" else \
            _stakeholder_login(review_of(resource)) or _stakeholder_login(reference)
        result.append((kind, state, resource, {k: v for k, v in logins.items() if v is None or v in users}))
    return result


def _path(resource):
    from pyramid.traversal import resource_path

    return resource_path(resource)


def principals_of(root, login):
    """The principals the security policy gives ``login`` (None: anonymous)."""
    if login is None:
        return [Everyone]
    return [Everyone, Authenticated] + root["users"][login].principals()


# -- views --------------------------------------------------------------------------------------------

def registered_views(registry):
    """``[(context class, name, permission, POST only)]`` of the non-exception views bound to a class."""
    found = []
    for view in registry.introspector.get_category("views"):
        intr = view["introspectable"]
        context = intr["context"]
        if intr.get("exception_only") or intr.get("route_name") or not isinstance(context, type):
            continue
        if issubclass(context, BaseException):
            continue
        permissions = [r["value"] for r in view["related"] if r.category_name == "permissions"]
        methods = intr.get("request_methods")
        methods = (methods,) if isinstance(methods, str) else tuple(methods or ())
        found.append((context, intr["name"], permissions[0] if permissions else None, methods == ("POST",)))
    return found


def views_for(resource, views):
    """``{name: (permission, POST only)}``: per name, the view of the most specific matching context."""
    mro = type(resource).__mro__
    best = {}
    for context, name, permission, post_only in views:
        if isinstance(resource, context):
            rank = mro.index(context)
            if name not in best or rank < best[name][0]:
                best[name] = (rank, permission, post_only)
    return {name: (permission, post_only) for name, (_rank, permission, post_only) in best.items()}


# -- the matrix ---------------------------------------------------------------------------------------

def compute(root, registry):
    """The sorted cells ``[kind, state, principal kind, view, allowed]`` of the demo world ``root``."""
    helper = ACLHelper()
    views = registered_views(registry)
    cells = []
    for kind, state, resource, logins in representatives(root):
        for name, (permission, _post) in views_for(resource, views).items():
            for who, login in logins.items():
                if permission == NO_PERMISSION_REQUIRED:
                    allowed = True
                else:
                    allowed = bool(helper.permits(resource, principals_of(root, login), permission))
                cells.append([kind, state, who, name, allowed])
    return sorted(cells)


def dumps(cells):
    return "[\n" + ",\n".join(json.dumps(cell) for cell in cells) + "\n]\n"


def build_app(directory):
    """The portal on a new FileStorage with blobs (attachments are blobs) in ``directory``, for ``main``."""
    import secrets

    from portal import main as portal_main

    uri = f"file://{directory}/Data.fs?blobstorage_dir={directory}/blobs"
    return portal_main({}, **{"portal.session_secret": secrets.token_hex(32), "zodbconn.uri": uri,
                              "mail.mode": "dummy", "portal.development": "true"})


def main(argv=None):
    from portal.storage import zodb_root

    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        raise SystemExit("usage: python -m portal.scripts.security_matrix tests/data/security_matrix.json")
    with tempfile.TemporaryDirectory() as directory:
        app = build_app(directory)
        db = app.registry._zodb_databases[""]
        with zodb_root(db, app.registry) as zroot:
            prepare(zroot["portal"])
        with zodb_root(db) as zroot:
            cells = compute(zroot["portal"], app.registry)
        db.close()
    with open(argv[0], "w", encoding="utf-8") as f:
        f.write(dumps(cells))
    print(f"security matrix: {len(cells)} cells written to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
