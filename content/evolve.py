"""Ordered, recorded schema migrations: the root keeps a generation number; steps above it run in order.

A new database is generation 0, so creating the tree is simply the first steps. Add a step with
``@step(N, "what it does")`` where N is one more than the highest; never renumber old steps.
"""

from datetime import datetime, timezone

from persistent.mapping import PersistentMapping

from content.root import build_tree
from content.localized import localized_resources
from content.milestones import adopt_schedule
from content.reference_data import load_registry, shipped_state_rows
from content.review_parts import Comments
from content.reviews import add_parts
from content.audit import AuditLog
from content.catalog import rebuild_index
from content.publication import make_parts
from content.translations import make_summary

STEPS = {}


def step(generation, description):
    """Register ``fn(root)`` as the migration to ``generation``."""

    def register(fn):
        if generation in STEPS:
            raise ValueError(f"evolve step {generation} defined twice")
        STEPS[generation] = (fn, description)
        return fn

    return register


def latest_generation():
    return max(STEPS) if STEPS else 0


def pending(root):
    """``[(generation, description)]`` not yet applied to ``root``."""
    current = getattr(root, "generation", 0)
    return [(g, STEPS[g][1]) for g in sorted(STEPS) if g > current]


def evolve(root, actor="system"):
    """Apply pending steps in order, recording each; returns the generations applied.

    The caller commits: a failing step raises and the transaction, with every step before it,
    is aborted, so a database is never left half-migrated.
    """
    applied = []
    for generation, description in pending(root):
        fn = STEPS[generation][0]
        fn(root)
        root.generation = generation
        root.evolve_log.append(
            {"generation": generation, "description": description, "when": datetime.now(timezone.utc), "actor": actor}
        )
        applied.append(generation)
    return applied


@step(1, "create the top-level folders of docs/architecture.md §2")
def _create_tree(root):
    build_tree(root)


@step(2, "load the states registry from the shipped reference data")
def _load_states(root):
    load_registry(root["states"])


def all_reviews(root):
    """Every country review of every cycle (for the steps that add what newer reviews have)."""
    for cycle in root["cycles"].values():
        reviews = cycle.get("reviews")
        yield from reviews.values() if reviews is not None else ()


@step(3, "give every country review its dialogue, assistance threads, report, and comments on its checklist")
def _review_parts(root):
    for review in all_reviews(root):
        add_parts(review)
        checklist = review.get("checklist")
        if checklist is not None and getattr(checklist, "comments", None) is None:
            checklist.comments = Comments()


@step(4, "create the audit log; reports become folders, and final ones get their publishable parts")
def _audit_and_parts(root):
    from BTrees.Length import Length
    from BTrees.OOBTree import OOBTree


    if "audit" not in root:
        root.add("audit", AuditLog())
    for review in all_reviews(root):
        report = review["report"]
        if getattr(report, "data", None) is None:
            report.data, report._count = OOBTree(), Length()
        if review.workflow_state == "final":
            make_parts(report)


@step(5, "give every country review its folder of access requests")
def _access_requests(root):
    for review in all_reviews(root):
        add_parts(review)


@step(6, "put the executive summary of every final report into translation (R21)")
def _summaries(root):
    for review in all_reviews(root):
        if review.workflow_state == "final":
            make_summary(review["report"])


@step(7, "give every country review its folder of requests for translation (¶48, ¶49)")
def _translation_requests(root):
    for review in all_reviews(root):
        add_parts(review)


@step(8, "create the folder of the Conference's decisions and the record of technical assistance provided (¶41-45)")
def _conference(root):
    build_tree(root)


@step(9, "count sign-in attempts in records that merge concurrent writes (issue 16); the old failure times go")
def _attempt_logs(root):
    from BTrees.OOBTree import OOBTree

    if getattr(root, "attempts", None) is None:
        root.attempts = OOBTree()
    if getattr(root, "login_failures", None) is not None:
        del root.login_failures


@step(10, "build the search index: every document, with the tokens of who may find it (issue 18)")
def _search_index(root):
    rebuild_index(root)


@step(11, "name every State as UN terminology does, short and formal, in the six languages (issue 20)")
def _unterm_names(root):
    for iso3, row in shipped_state_rows().items():
        state = root["states"].get(iso3)
        if state is None:
            continue
        if not isinstance(state.formal_names, PersistentMapping):  # the class's empty default, not its own
            state.formal_names = PersistentMapping()
        corrected = {change["field"] for change in state.changes if change.get("who") != "system"}
        for field, value in row.items():
            if field.startswith(("name_", "formal_")) and field not in corrected:
                state.set_field(field, value, "system", "UN terminology names (evolve step 11)")


@step(12, "keep the texts written for readers (cycles, decisions, meetings, recommendations, courses) in six "
          "languages; each old text becomes the original of its language (issue 20)")
def _localized_texts(root):
    for resource in localized_resources(root):
        resource.localize_fields()


_PROGRESS_OF_ANSWER = {"yes": "full", "yes-in-part": "partial", "no": "none"}


def _follow_up_answer(old):
    """An answer to a follow-up question written before issue 23 (yes / in part / no and four texts) in the form
    the follow-up now asks (¶41): the progress, and the texts kept as its description."""
    texts = [old.get(name, "") for name in ("legislation", "cases", "challenges", "assistance")]
    return PersistentMapping({"progress": _PROGRESS_OF_ANSWER.get(old.get("answer"), ""),
                              "description": "\n\n".join(t for t in texts if t), "assistance": "",
                              "provider": "", "period": "", "effect": ""})


@step(13, "issue 23: follow-up answers ask progress and assistance received (¶41); every review gets its outside "
          "sources (¶26(c)) and a schedule for every stage, its dates the secretariat's first proposal (¶24); the "
          "funding records (¶52); the search index learns good practices, citations and sources")
def _issue_23(root):
    build_tree(root)
    for review in all_reviews(root):
        add_parts(review)
        adopt_schedule(review, review.__parent__.__parent__.review_milestone_days(), "portal-evolve")
        checklist = review.get("checklist")
        for item in (getattr(checklist, "follow_up", None) or ()) if checklist is not None else ():
            qid = f"follow-up-{item['cycle']}-{item['id']}"
            old = checklist.answers.get(qid)
            if old is not None and "progress" not in old:
                checklist.answers[qid] = _follow_up_answer(old)
    rebuild_index(root)
