"""The demo world's upper half (issue 7): a closed pilot cycle with final reports, its thematic report and
addenda, the Review Group's meetings and recommendations, the Conference's decisions, and technical assistance
recorded; the first cycle's checklists then carry the follow-up of the pilot's reports (¶41)."""

from datetime import date, datetime, timedelta, timezone

from content.checklists import follow_up_items
from portal.scripts.demo_texts import localized, text_in
from workflows import get_workflow

PILOT = "pilot-cycle"
PILOT_YEAR = 2023
ACTOR = "portal-demo"


def build_demo_pilot(root, first):
    """The pilot cycle 2023-2025, closed: the first six States of ``first``'s first year were reviewed in it
    (so their new checklists carry a follow-up section); returns the pilot, or None if it exists."""
    from content.cycles import new_cycle
    from content.reviews import sync_reviews
    from portal.scripts import demo_reviews as d

    cycles = root["cycles"]
    if PILOT in cycles:
        return None
    states = sorted(first.schedule[first.first_year])[:6]
    later = {a["under_review"]: list(a["reviewers"]) for a in first.assignments[first.first_year]}
    pilot = cycles.add(PILOT, new_cycle(localized("pilot-cycle-title"), PILOT_YEAR, PILOT_YEAR + 2))
    pilot.decision_ref = "11/1"
    pilot.scope.update({"UNTOC": localized("pilot-scope-untoc")})
    assignments, reviewing = [], {}
    for k, iso3 in enumerate(states):
        # Another State's first-cycle reviewers, never itself, never a State it reviews in return (R7).
        candidates = [r for r in later[states[(k + 1) % len(states)]] + later[states[(k + 2) % len(states)]]
                      if r != iso3 and iso3 not in reviewing.get(r, ())]
        reviewing[iso3] = list(dict.fromkeys(candidates))[:2]
        assignments.append({"under_review": iso3, "instrument": "UNTOC", "reviewers": reviewing[iso3]})
    pilot.schedule[PILOT_YEAR] = tuple(states)
    pilot.assignments[PILOT_YEAR] = tuple(assignments)
    workflow = get_workflow(pilot)
    workflow.initialize(pilot, actor=ACTOR, comment=pilot.decision_ref)
    for name in ("record-selection", "activate"):
        workflow.fire(pilot, None, name, check_permission=False, actor=ACTOR)
    sync_reviews(pilot, PILOT_YEAR, ACTOR)
    for k, review in enumerate(pilot["reviews"].values()):
        review.language = ("en", "fr", "es")[k % 3]
        d.bring_to_stage(review, "final", ACTOR)
        d.translate_summary(review, ACTOR)
        d.publish_parts(review, ACTOR, names=None if k % 2 == 0 else {"summary"})
        _backdate(review, date(PILOT_YEAR, 2, 1) + timedelta(days=20 * k), 150 + 25 * k)
    workflow.fire(pilot, None, "close", check_permission=False, actor=ACTOR)
    _backdate(pilot, date(PILOT_YEAR, 1, 10), 3 * 365)
    for iso3 in states:  # ¶41: the first cycle's checklists ask about the pilot's observations and needs
        first["reviews"][iso3]["checklist"].follow_up = follow_up_items(first, iso3)
    return pilot


def _backdate(resource, start, days):
    """Spread the history of ``resource`` evenly over ``days`` from ``start``, as if it had happened then."""
    history = resource.workflow_history
    step = days / max(1, len(history) - 1)
    for k, entry in enumerate(history):
        entry["when"] = datetime(start.year, start.month, start.day, 9, tzinfo=timezone.utc) + timedelta(days=step * k)
    resource.workflow_history = history


def build_demo_group(root, pilot):
    """The thematic report on the pilot (report published in English and French, addenda in preparation),
    a meeting of the Group each year with its recommendations, and the Conference's decisions."""
    from content.conference import record_decision
    from content.meetings import Meeting, venue
    from content.technical_assistance import technical_assistance_needs
    from content.thematic import create_thematic_report
    from portal.i18n import localizer

    thematic = root["group"]["thematic"]
    item = create_thematic_report(thematic, pilot, root["states"], localizer("en"), ACTOR)
    report = item.documents()[0]
    original = report.original
    get_workflow(original).fire(original, None, "mark-translated", check_permission=False, actor=ACTOR)
    get_workflow(original).fire(original, None, "publish", check_permission=False, actor=ACTOR)
    french = report["fr"]
    french.save(text_in("thematic-translation-note", "fr"), ACTOR, french.revision)
    for name in ("mark-translated", "publish"):
        get_workflow(french).fire(french, None, name, check_permission=False, actor=ACTOR)

    meetings = root["group"]["meetings"]
    parties = sorted(s.iso3 for s in root["states"].values() if s.is_party("UNTOC"))
    summaries = [("cycles", PILOT, "reviews", r.__name__, "report", "summary") for r in pilot["reviews"].values()]
    sessions = {}
    for k, year in enumerate(range(PILOT_YEAR, date.today().year + 1)):
        meeting = meetings.add(meetings.next_number(), Meeting(localized("meeting-title", n=k + 1), year, ACTOR))
        start = date(year, 6, 3 + k)
        documents = ([("group", "thematic", item.__name__, "report")] + summaries) if year == PILOT_YEAR + 2 else []
        meeting.update(meeting.title, year, start, start + timedelta(days=2), venue(),
                       [localized(f"agenda-{item}") for item in ("opening", "overview", "assistance", "recommendations")],
                       parties[k::3], ["INTERPOL", "OSCE"],
                       documents)
        sessions[year] = meeting
    thematic_meeting = sessions[PILOT_YEAR + 2]
    adopted = [thematic_meeting.add_recommendation(kind, localized(key), ACTOR) for kind, key in (
        ("recommendation", "recommendation-witnesses"), ("recommendation", "recommendation-workshops"),
        ("conclusion", "conclusion-duration"))]
    for rec in adopted:
        get_workflow(rec).fire(rec, None, "adopt", check_permission=False, actor=ACTOR)
    latest = sessions[max(sessions)]
    latest.add_recommendation("recommendation", localized("recommendation-experts"), ACTOR)

    conference = root["conference"]
    first = root["cycles"].get("first-cycle")
    record_decision(conference, "cycle", "11/1", localized("session-11"), date(PILOT_YEAR - 1, 10, 21),
                    localized("decision-pilot-title"), localized("decision-pilot-text"), pilot, [], ACTOR)
    record_decision(conference, "approval", "12/2", localized("session-12"), date(PILOT_YEAR + 2, 10, 17),
                    localized("decision-approval-title"), localized("decision-approval-text"), None, adopted[:2],
                    ACTOR)
    record_decision(conference, "assessment", "13/1", localized("session-13"), date(PILOT_YEAR + 3, 10, 16),
                    localized("decision-assessment-title"), localized("decision-assessment-text"), pilot, [], ACTOR)
    if first is not None:
        record_decision(conference, "cycle", "13/2", localized("session-13"), date(PILOT_YEAR + 3, 10, 16),
                        localized("decision-first-title"), localized("decision-first-text"), first, [], ACTOR)

    tracker = root["technical-assistance"]
    for k, (cycle, review, finding) in enumerate(technical_assistance_needs(root)):
        key = tracker.key(cycle, review, finding)
        if k % 3 == 0:
            tracker.record(key, "provided", text_in("assistance-provider", "en"),
                           text_in("assistance-provided", "en"), ACTOR)
        elif k % 3 == 1:
            tracker.record(key, "planned", "", text_in("assistance-planned", "en"), ACTOR)
