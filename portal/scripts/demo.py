"""``portal-demo CONFIG``: the demo world (idempotent); refuses to run unless the configuration is a development one."""

import argparse
from datetime import date, timedelta

from pyramid.paster import get_appsettings
from pyramid.settings import asbool

from content.users import User, hash_password
from portal.scripts.common import portal_env
from language.multilingual import LocalizedText
from portal.scripts.demo_texts import localized
from portal.scripts.demo_group import build_demo_group, build_demo_pilot
from portal.scripts.demo_funding import build_demo_funding
from workflows import get_workflow

DEMO_PASSWORD = "review-portal-demo"
STAFF = (
    ("admin", "Hugo Ferreira", "admin"),
    ("secretariat", "Aisha Rahman", "secretariat"),
    ("observer", "Olga Petrova", "observer"),
)
# Names for the demo's focal points and experts (people's names are not translated, so pages in every
# language show them as they are); drawn in turn, so each account has its own.
GIVEN = ("Amina", "Carlos", "Mei", "Omar", "Claire", "Juan", "Li", "Fatima", "Pierre", "Anna", "Kofi", "Sara",
         "Ivan", "Nadia", "Tomás", "Yuki", "Ahmed", "Elena", "Kwame", "Lucía", "Sofia", "Daniel", "Leila")
FAMILY = ("Diallo", "García", "Wang", "Haddad", "Martin", "López", "Chen", "Rahman", "Dubois", "Novak", "Mensah",
          "Costa", "Sokolov", "Nasser", "Silva", "Tanaka", "Osei", "Kowalski", "Mwangi", "Ortiz", "Berg", "Karimi")


def _add_active(users, login, fullname, function, state, password_hash):
    user = User(login, fullname, f"{login}@demo.invalid", function, state=state)
    user.password_hash = password_hash
    users.add(login, user)
    workflow = get_workflow(user)
    workflow.initialize(user, actor="portal-demo")
    workflow.fire(user, None, "activate", check_permission=False, actor="portal-demo")
    return user


def build_demo(root):
    """Create the demo accounts that are missing; returns how many were created."""
    users = root["users"]
    # One hash for all demo accounts: hashing ~400 times with argon2 would take a minute.
    shared_hash = hash_password(DEMO_PASSWORD)
    created = 0
    for login, fullname, function in STAFF:
        if login not in users:
            _add_active(users, login, fullname, function, None, shared_hash)
            created += 1
    people = 0
    for state in root["states"].values():
        if not state.is_party("UNTOC"):
            continue
        for suffix, function in (("fp", "focal-point"), ("expert", "expert")):
            login = f"{state.iso3.lower()}-{suffix}"
            name = f"{GIVEN[people % len(GIVEN)]} {FAMILY[people % len(FAMILY)]}"
            people += 1
            if login not in users:
                _add_active(users, login, name, function, state.iso3, shared_hash)
                created += 1
    return created


DEMO_CYCLE = "first-cycle"


def build_demo_cycle(root):
    """A cycle 2027-2031 whose selection and first year's reviewers are drawn; None if it exists already."""
    from content.cycles import new_cycle
    from portal import draw_service

    cycles = root["cycles"]
    if DEMO_CYCLE in cycles:
        return None
    cycle = cycles.add(DEMO_CYCLE, new_cycle(localized("first-cycle-title"), 2027, 2031))
    cycle.decision_ref = "CTOC/COP/2026/1"
    cycle.scope.update({code: localized(f"scope-{code.lower()}") for code in ("UNTOC", "TIP", "SOM", "FIR")})
    cycle.themes.extend([localized("theme-criminalization"), localized("theme-cooperation")])
    get_workflow(cycle).initialize(cycle, actor="portal-demo", comment=cycle.decision_ref)
    draw_service.run_draw(draw_service.prepare_selection(cycle, root, "portal-demo"), "portal-demo")
    for collision in draw_service.year_collisions(cycle, cycle.first_year):
        for code in collision.relaxations[:collision.needed]:
            cycle.relaxations.append(cycle.record(
                "portal-demo", "relaxation", code=code,
                justification=localized("relaxation-no-group")))
    record = draw_service.run_draw(draw_service.prepare_reviewers(cycle, "portal-demo"), "portal-demo")
    if record.failure:
        raise RuntimeError(record.failure)
    get_workflow(cycle).fire(cycle, None, "activate", check_permission=False, actor="portal-demo")
    # Issue 7: a closed pilot cycle before it, whose States' new checklists carry its follow-up (¶41).
    pilot = build_demo_pilot(root, cycle)
    _spread_review_stages(cycle)
    build_demo_funding(root)  # voluntary contributions and what they paid for (¶49, ¶52, ¶55), before the annex
    build_demo_group(root, pilot)
    return cycle


def _spread_review_stages(cycle):
    """The first year's reviews in every stage, in every working language (one in twelve has none yet):
    checklists answered in part or whole, comments, dialogue, visits, draft and final reports with findings."""
    from content.milestones import set_due_dates
    from portal.scripts import demo_reviews as d

    finals = 0
    for k, review in enumerate(cycle["reviews"].values()):
        if k % 12 == 0:
            continue
        review.language = ("en", "fr", "es", "ar", "ru", "zh")[k % 6]
        stage = d.STAGES[k % 7]
        if stage == "checklist":
            d.answer_checklist(review["checklist"], "portal-demo", sections=1 + k % 2)
        if d.STAGES.index(stage) >= d.STAGES.index("dialogue"):
            d.bring_to_stage(review, "dialogue", "portal-demo")
            d.comment_checklist(review, "portal-demo")
            d.inform_checklist(review, "portal-demo")
            d.hold_dialogue(review, "portal-demo", answered=stage != "dialogue" or k % 2 == 0)
            d.add_outside_sources(review, "portal-demo")  # information from organizations (¶26(c))
            if k % 2:  # a visit agreed by the state under review, held once the dialogue is over (R15)
                d.agree_visit(review, "portal-demo", held=stage != "dialogue")
        d.bring_to_stage(review, stage, "portal-demo")
        d.invite_stakeholders(review, "portal-demo")  # the national consultation, meetings on a visit (¶27, ¶29)
        if stage == "agreement":  # translations of the review's documents (¶48, ¶49)
            d.request_translations(review, "portal-demo")
        if stage == "final":  # published whole, in part, or not at all (R19)
            finals += 1
            # The executive summary in six languages (R21); one still being translated, its original published.
            d.translate_summary(review, "portal-demo", languages=None if finals % 4 else ("fr", "ar"))
            if finals % 4 == 0:
                d.translate_summary(review, "portal-demo", languages=("es",), publish=False)
            if finals % 3 == 1:
                d.publish_parts(review, "portal-demo")
                others = [s for s in ("KEN", "FRA", "MEX", "BRA", "IND", "DEU", "NGA") if s not in review.parties()]
                d.demo_access_requests(review, others, "portal-demo")
            elif finals % 3 == 2:
                d.publish_parts(review, "portal-demo", names={"summary", "finding-f2", "finding-f5"})
        if k % 5 == 0:  # some reviews with an overdue milestone (¶24)
            set_due_dates(review, {"focal-points": date.today() - timedelta(days=3)}, "portal-demo")
        d.settle_schedule(review, k)  # the schedule agreed with the State under review, or still negotiated (¶24)


def dakar():
    """Dakar in the six languages (a new object each time: a persistent object belongs to one database)."""
    return LocalizedText("Dakar", "fr", en="Dakar", es="Dakar", ru="Дакар", zh="达喀尔", ar="داكار")


DEMO_EXPERTS = {
    "KEN": [("Amina Odhiambo", "Senior State Counsel, Office of the Director of Public Prosecutions",
             "Money-laundering; mutual legal assistance", "en"),
            ("Brian Kiptoo", "Chief Inspector, Directorate of Criminal Investigations", "Trafficking in persons", "en")],
    "FRA": [("Claire Martin", "Magistrat, ministère de la Justice", "Extradition ; criminalité organisée", "fr")],
    "MEX": [("Lucía Hernández", "Fiscal, Fiscalía General de la República", "Tráfico de armas de fuego", "es")],
}


def build_demo_experts(root):
    """A few governmental experts on the list (R17), once."""
    from content.experts import Expert, next_expert_name

    experts = root["experts"]
    for state, people in DEMO_EXPERTS.items():
        for name, position, expertise, language in people:
            if any(e.name == name for e in experts.values()):
                continue
            experts.add(next_expert_name(experts, state),
                        Expert(state, name, "", {"position": position, "expertise": expertise}, "portal-demo",
                               language))
    build_demo_trainings(root)


def build_demo_trainings(root):
    """Two training courses for experts (¶31): a past one that the demo experts attended but one, and an
    upcoming one with registrations; once."""
    from content.meetings import venue
    from content.trainings import Course

    trainings = root["trainings"]
    if len(trainings):
        return
    experts = sorted(root["experts"].values(), key=lambda e: e.__name__)
    today = date.today()
    past = trainings.add("1", Course(localized("course-past-title"),
                                     today - timedelta(days=60), today - timedelta(days=58), venue(), "en",
                                     localized("course-past-materials"), "portal-demo"))
    for expert in experts:
        past.register(expert, "portal-demo")
    past.record_attendance([e.__name__ for e in experts[:-1]], "portal-demo")
    coming = trainings.add("2", Course(localized("course-coming-title", "fr"),
                                       today + timedelta(days=45), today + timedelta(days=47), dakar(), "fr",
                                       localized("course-coming-materials", "fr"), "portal-demo"))
    for expert in experts[:2]:
        coming.register(expert, "portal-demo")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="portal-demo", description=__doc__)
    parser.add_argument("config")
    args = parser.parse_args(argv)
    settings = get_appsettings(args.config)
    if not asbool(settings.get("portal.development", False)):
        raise SystemExit("portal-demo: refusing to run: the configuration is not marked portal.development = true")
    with portal_env(args.config, "portal-demo") as (root, request):
        created = build_demo(root)
        build_demo_experts(root)
        cycle = build_demo_cycle(root)
    print(f"portal-demo: {created} demo account(s) created; password for all: {DEMO_PASSWORD}")
    if cycle is not None:
        print(f"portal-demo: cycle /cycles/{DEMO_CYCLE}/ with the selection and the reviewers of {cycle.first_year} drawn")
    return 0
