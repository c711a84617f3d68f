"""Every consequence of a transition follows it whatever fired it (issue 17): the dedicated view, the
generic ``@@transition`` or a script. Before, publishing a part through ``@@transition`` wrote no audit
record and finalizing with the secretariat's button sent no mail; the demo wrote audit records by hand."""

import pytest

from portal.subscribers import _AFTER
from portal.scripts.demo_reviews import agree_report, draft_report
from tests.conftest import csrf_from, last_form, sign_in
from tests.cycle_fixtures import CYCLE, set_stage
from workflows import get_workflow


def review_path(sur):
    return f"{CYCLE}reviews/{sur}/"


def new_records(portal, since=0):
    with portal.root() as root:
        return [(r["event"], r["who"], r["state"], r["path"], tuple(r.get("parts", ())))
                for n, r in sorted(root["audit"].records.items()) if n > since]


def audit_length(portal):
    with portal.root() as root:
        return len(root["audit"])


def fire_in_script(portal, path, transition, actor):
    """As the demo or a script does: no request, the portal's registry current."""
    from pyramid.traversal import find_resource

    with portal.root() as root:
        resource = find_resource(root, path)
        get_workflow(resource).fire(resource, None, transition, check_permission=False, actor=actor)


def fire_button(client, path, transition):
    page = client.get(path)
    return client.post(path + "@@transition", {"csrf_token": csrf_from(page), "transition": transition}, status=303)


def publish_with_confirmation(client, sur, chosen):
    form = last_form(client.get(review_path(sur) + "report/@@publish"))
    for field in form.fields.get("part", []):
        field.checked = field._value in chosen
    last_form(form.submit("review", status=200)).submit("confirm", status=303)


@pytest.mark.parametrize("route", ["dedicated view", "@@transition", "script"])
def test_publishing_and_withdrawing_a_part_are_audited_whatever_the_route(portal, clients, review_parties, route):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    part = review_path(sur) + "report/parts/summary/"
    report = f"/cycles/first-cycle/reviews/{sur}/report"
    sur_fp = clients["sur-fp"]
    for transition, chosen in (("publish", {"summary"}), ("unpublish", set())):
        since = audit_length(portal)
        if route == "dedicated view":
            publish_with_confirmation(sur_fp, sur, chosen)
        elif route == "@@transition":
            fire_button(sur_fp, part, transition)
        else:
            fire_in_script(portal, part, transition, "sur-fp")
        assert new_records(portal, since) == [(transition, "sur-fp", sur, report, ("summary",))], route
    # Publishing tells the reviewing States and the secretariat (portal/notices.py), by either web route; a script
    # without a request mails nobody. Withdrawing tells nobody.
    told = sorted(r for m in portal.mailer.outbox for r in m.recipients)
    if route == "script":
        assert told == []
    else:
        with portal.root() as root:
            review = root["cycles"]["first-cycle"]["reviews"][sur]
            expected = sorted(u.email for u in root["users"].values() if u.active and (
                u.function == "secretariat" or (u.function == "focal-point" and u.state in review.reviewing_states())))
        assert told == expected and len(expected) >= 2
        assert {m.subject for m in portal.mailer.outbox} == {"Part of a country review report has been published"}


@pytest.mark.parametrize("route", ["last agreement", "@@transition", "script"])
def test_finalizing_makes_the_parts_and_tells_the_parties_whatever_the_route(portal, clients, review_parties, route):
    sur, reviewing, _third = review_parties
    set_stage(portal, sur, "agreement")
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        agree_report(review, "test")
        if route == "last agreement":
            review["report"].withdraw_agreement(sur, "test")
        version = review["report"].current_number()
        secretariat = sorted(u.email for u in root["users"].values() if u.function == "secretariat" and u.active)
        focal_points = {iso3: sorted(u.email for u in root["users"].values()
                                     if u.function == "focal-point" and u.state == iso3 and u.active)
                        for iso3 in [sur] + list(reviewing)}
    portal.mailer.outbox.clear()
    if route == "last agreement":
        page = clients["sur-fp"].get(review_path(sur) + "report/")
        clients["sur-fp"].post(review_path(sur) + "report/@@agree", {"csrf_token": csrf_from(page),
                                                                     "version": str(version)}, status=303)
        actor_mail = focal_points[sur]
    elif route == "@@transition":
        fire_button(clients["secretariat"], review_path(sur), "finalize")
        actor_mail = ["sec@example.org"]
    else:
        fire_in_script(portal, review_path(sur), "finalize", "sec")
        actor_mail = None
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        assert review.workflow_state == "final"
        assert len(review["report"]["parts"]) > 1 and "summary" in review["report"]
    mails = portal.mailer.outbox
    if actor_mail is None:
        assert mails == []  # no request, no mail (portal/subscribers.py)
        return
    assert {m.subject for m in mails} == {"A country review report is final"}
    everyone = set(secretariat) | {e for emails in focal_points.values() for e in emails}
    assert sorted(r for m in mails for r in m.recipients) == sorted(everyone - set(actor_mail))


def test_access_decisions_are_audited_from_a_script_too(portal, clients, review_parties):
    """The demo's access requests get their audit records from the subscribers, not by hand."""
    from content.access_requests import AccessRequest

    sur, _reviewing, third = review_parties
    set_stage(portal, sur, "final")
    since = audit_length(portal)
    with portal.root() as root:
        folder = root["cycles"]["first-cycle"]["reviews"][sur]["access-requests"]
        access = folder.add("1", AccessRequest(third, "third-fp", "A reason long enough.", "whole", ""))
        get_workflow(access).initialize(access, "third-fp")
    fire_in_script(portal, review_path(sur) + "access-requests/1/", "grant", "sur-fp")
    fire_in_script(portal, review_path(sur) + "access-requests/1/", "accept", "third-fp")
    path = f"/cycles/first-cycle/reviews/{sur}/access-requests/1"
    assert new_records(portal, since) == [("request", "third-fp", third, path, ()), ("grant", "sur-fp", sur, path, ()),
                                          ("accept", "third-fp", third, path, ())]
    with portal.root() as root:
        report = root["cycles"]["first-cycle"]["reviews"][sur]["report"]
        assert any(third in principal for principal in report.local_roles()), "the grant took effect"
    fire_in_script(portal, review_path(sur) + "access-requests/1/", "revoke", "sur-fp")
    assert new_records(portal, since)[-1] == ("revoke", "sur-fp", sur, path, ())
    with portal.root() as root:
        report = root["cycles"]["first-cycle"]["reviews"][sur]["report"]
        assert not any(third in principal for principal in report.local_roles()), "the revocation took effect"


def test_every_subscriber_names_a_real_transition():
    """A handler registered under a misspelt transition would silently never run."""
    import importlib
    import pkgutil

    import workflows.definitions
    from workflows import Workflow

    found = []
    for module in pkgutil.iter_modules(workflows.definitions.__path__):
        loaded = importlib.import_module(f"workflows.definitions.{module.name}")
        found += [value for value in vars(loaded).values() if isinstance(value, Workflow)]
    transitions = {(w.name, t) for w in found for t in w.transitions}
    assert _AFTER and set(_AFTER) <= transitions, set(_AFTER) - transitions


def test_the_demo_writes_no_audit_record_by_hand():
    from pathlib import Path

    for script in Path(__file__).parent.parent.joinpath("portal", "scripts").glob("demo*.py"):
        text = script.read_text()
        assert "audit_log" not in text and ".write(" not in text, script


@pytest.mark.parametrize("route", ["@@transition", "script"])
def test_asking_for_agreement_tells_the_parties_when_a_person_asks(portal, clients, review_parties, route):
    sur, _reviewing, _third = review_parties
    set_stage(portal, sur, "drafting")
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        if not review["report"].current():
            draft_report(review, "test")
    portal.mailer.outbox.clear()
    if route == "@@transition":
        fire_button(clients["secretariat"], review_path(sur), "seek-agreement")
        subjects = {m.subject for m in portal.mailer.outbox}
        assert subjects == {"A country review report awaits your agreement"}
        assert "sur-fp@example.org" in [r for m in portal.mailer.outbox for r in m.recipients]
    else:
        fire_in_script(portal, review_path(sur), "seek-agreement", "sec")
        assert portal.mailer.outbox == []  # no request, no mail (portal/subscribers.py)


@pytest.mark.parametrize("route", ["@@transition", "script"])
def test_publishing_a_translation_is_audited_whatever_the_route(portal, clients, review_parties, route):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    original = review_path(sur) + "report/summary/en/"
    path = f"/cycles/first-cycle/reviews/{sur}/report/summary/en"
    for transition, event in (("publish", "publish"), ("withdraw", "unpublish")):
        since = audit_length(portal)
        if route == "@@transition":
            fire_button(clients["secretariat"], original, transition)
        else:
            fire_in_script(portal, original, transition, "sec")
        assert new_records(portal, since) == [(event, "sec", None, path, ("en",))], route


@pytest.mark.parametrize("route", ["@@transition", "script"])
def test_deactivating_and_reactivating_an_account_whatever_the_route(portal, signed_in, route):
    sec = signed_in("sec", function="secretariat", state=None)
    portal.add_user("ken-fp")
    ken = portal.client()
    sign_in(ken, "ken-fp")
    portal.mailer.outbox.clear()
    for transition in ("deactivate", "reactivate"):
        if route == "@@transition":
            fire_button(sec, "/users/ken-fp/", transition)
        else:
            fire_in_script(portal, "/users/ken-fp/", transition, "sec")
    with portal.root() as root:
        user = root["users"]["ken-fp"]
        assert user.workflow_state == "nominated" and not user.sessions and user.password_hash is None
        assert user.activation_digest is not None  # a fresh activation link exists
    assert "(<bdi>ken-fp</bdi>)" not in ken.get("/").text  # the session ended at once
    mails = [m.recipients for m in portal.mailer.outbox]
    assert mails == ([["ken-fp@example.org"]] if route == "@@transition" else [])


def test_adding_changing_and_removing_resources_send_events(portal, review_parties):
    """Folders send ObjectAdded and ObjectRemoved, and the methods that change a resource ObjectModified,
    whoever calls them (the search index will listen to them)."""
    from content.events import ObjectAdded, ObjectModified, ObjectRemoved
    from content.experts import Expert

    sur = review_parties[0]
    set_stage(portal, sur, "drafting")
    seen = []

    def collect(event):
        name = getattr(event, "what", "") or getattr(event, "name", "")
        seen.append((type(event).__name__, type(event.object).__name__, name))

    for kind in (ObjectAdded, ObjectModified, ObjectRemoved):
        portal.registry.registerHandler(collect, (kind,))
    try:
        with portal.root() as root:
            root["states"]["KEN"].set_field("name_fr", "Kenya (essai)", "test", "test")
            report = root["cycles"]["first-cycle"]["reviews"][sur]["report"]
            report.save_section(report.section_keys()[0], "A first text.", "test", report.current_number())
            root["cycles"]["first-cycle"].record("test", "note")
            expert = root["experts"].add("x1", Expert("KEN", "Amina Njeri", "amina@example.org", {}, "test"))
            expert.update("Amina W. Njeri", "amina@example.org", {}, "test")
            root["experts"].remove("x1")
    finally:
        for kind in (ObjectAdded, ObjectModified, ObjectRemoved):
            portal.registry.unregisterHandler(collect, (kind,))
    assert seen == [("ObjectModified", "State", "name_fr"), ("ObjectModified", "Report", "version"),
                    ("ObjectModified", "Cycle", "note"), ("ObjectAdded", "Expert", ""),
                    ("ObjectModified", "Expert", "details"), ("ObjectRemoved", "Expert", "x1")]


@pytest.mark.parametrize("route", ["dedicated view", "@@transition", "script"])
def test_granting_a_deferral_moves_the_state_whatever_the_route(portal, selected, route):
    """R3: the grant is applied by its subscriber, so the generic button and a script move the State too."""
    from tests.cycle_fixtures import cycle_of, decide, file_request

    _, schedule, _ = cycle_of(portal)
    year = max(schedule) - 1
    iso3 = schedule[year][0]
    file_request(selected, "deferral", year, state=iso3)
    request_path = "/cycles/first-cycle/requests/1/"
    if route == "dedicated view":
        decide(selected, request_path)
    elif route == "@@transition":
        fire_button(selected, request_path, "grant")
    else:
        fire_in_script(portal, request_path, "grant", "sec")
    _, after, _ = cycle_of(portal)
    assert iso3 not in after[year] and iso3 in after[year + 1], route
    with portal.root() as root:
        cycle = root["cycles"]["first-cycle"]
        assert cycle["requests"]["1"].workflow_state == "granted"
        assert [(e["kind"], e["state"], e["who"]) for e in cycle.log if e["kind"] == "deferral"] == [
            ("deferral", iso3, "sec")]


@pytest.mark.parametrize("route", ["@@transition", "script"])
def test_delivering_a_translation_tells_the_parties_when_a_person_delivers(portal, clients, review_parties, route):
    sur = review_parties[0]
    set_stage(portal, sur, "agreement")
    sec = clients["secretariat"]
    folder = review_path(sur) + "translation-requests/"
    path = sec.post(folder + "@@new", {"csrf_token": csrf_from(sec.get("/")), "document": "report", "language": "fr",
                                       "other_language": "", "text": "Needed for the reviewers."},
                    status=303).location.replace("http://localhost", "")
    sec.post(path + "@@reply", {"csrf_token": csrf_from(sec.get(path)), "text": "Here it is."},
             upload_files=[("files", "projet.txt", "Projet de rapport.".encode())], status=303)
    portal.mailer.outbox.clear()
    if route == "@@transition":
        fire_button(sec, path, "deliver")
        assert {m.subject for m in portal.mailer.outbox} == {"A translation of a review document is available"}
    else:
        fire_in_script(portal, path, "deliver", "sec")
        assert portal.mailer.outbox == []
    with portal.root() as root:
        from pyramid.traversal import find_resource

        assert find_resource(root, path).workflow_state == "delivered"
