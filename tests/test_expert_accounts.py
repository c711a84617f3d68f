"""Issue 21, points 5 and 7: nominating a governmental expert offers an account (made as the secretariat's
nomination makes one: inactive, activation mail in the nominating person's language), the list and the expert's
page say whether it is activated; a move that stays in its state is shown in the history by its own words; an
assistance thread says who really sees it."""

import re

import pytest

from tests.conftest import csrf_from, last_form
from tests.cycle_fixtures import CYCLE, set_stage
from tests.test_access_requests import file as file_access_request
from tests.test_access_requests import fire
from tests.test_experts import experts_of, nominate
from tests.test_review_parts import add_question, review_of
from workflows import Workflow

REVIEW_BANNER = "only the State under review, its reviewing States and the secretariat see this review"
ASSISTANCE_BANNER = "only the State under review and the secretariat see the requests for assistance"


def accounts(portal):
    with portal.root() as root:
        return {login: (u.function, u.state, u.workflow_state, u.language) for login, u in root["users"].items()
                if u.function == "expert"}


def expert_logins(portal):
    with portal.root() as root:
        return {name: e.login for name, e in root["experts"].items()}


def activation_link(mail):
    return re.search(r"http://localhost(/@@activate\?token=[\w-]+)", mail.body).group(1)


def test_a_focal_point_nominates_an_expert_with_an_account_that_waits_for_activation(portal, signed_in):
    ken = signed_in("ken-fp", "focal-point", "KEN")
    with portal.root() as root:
        root["users"]["ken-fp"].language = "fr"  # the nominating person's language, not the page's
    ken.get("/?lang=en")
    form = last_form(ken.get("/experts/@@add"))
    assert form["account"].value == "auto"  # by default, an account when an address is given
    nominate(ken, email="amina@example.org")
    assert expert_logins(portal) == {"ken-1": "ken-amina-odhiambo"}
    assert accounts(portal) == {"ken-amina-odhiambo": ("expert", "KEN", "nominated", "fr")}
    with portal.root() as root:
        assert not root["users"]["ken-amina-odhiambo"].active
    mail = portal.mailer.outbox[-1]
    assert mail.recipients == ["amina@example.org"]
    assert mail.subject == "Activez votre compte sur le Portail d'examen"
    assert "ken-amina-odhiambo" in mail.body and "Governmental expert" not in mail.body
    page = ken.get("/experts/")
    assert "Invited, awaiting activation" in page.text and "Not invited" not in page.text
    assert "Invited, awaiting activation" in ken.get("/experts/ken-1/").text
    ken.get("/users/ken-amina-odhiambo/", status=403)  # the account itself stays the secretariat's to manage
    # The expert chooses a password: the account is active, and so shown.
    expert = portal.client()
    form = last_form(expert.get(activation_link(mail)))
    form["password"] = form["confirm"] = "my own long passphrase 7"
    form.submit(status=303)
    page = ken.get("/experts/")
    assert "Active" in page.text and "awaiting activation" not in page.text
    assert "Active" in ken.get("/experts/ken-1/").text
    # The secretariat sees the same, with a link to the account.
    sec = signed_in("sec", "secretariat", None)
    assert 'href="http://localhost/users/ken-amina-odhiambo/"' in sec.get("/experts/ken-1/").text


def test_no_address_no_account_and_asking_for_one_without_an_address_is_refused(portal, signed_in):
    ken = signed_in("ken-fp", "focal-point", "KEN")
    page = nominate(ken, account="yes", status=200)
    assert "An account needs an e-mail address" in page.text
    assert experts_of(portal) == {} and accounts(portal) == {} and portal.mailer.outbox == []
    nominate(ken)  # no address, the default choice: on the list without an account
    nominate(ken, "Brian Kiptoo", email="brian@example.org", account="no")
    assert expert_logins(portal) == {"ken-1": None, "ken-2": None}
    assert accounts(portal) == {} and portal.mailer.outbox == []
    page = ken.get("/experts/")
    assert page.text.count("Not invited") == 2


def test_experts_with_the_same_name_get_distinct_logins(portal, signed_in):
    ken = signed_in("ken-fp", "focal-point", "KEN")
    nominate(ken, email="amina@example.org")
    nominate(ken, email="amina.o@example.org")
    sec = signed_in("sec", "secretariat", None)
    form = last_form(sec.get("/experts/@@add"))
    form["state"], form["name"], form["email"] = "FRA", "Amina Odhiambo", "amina@example.fr"
    form.submit("save", status=303)
    assert expert_logins(portal) == {"ken-1": "ken-amina-odhiambo", "ken-2": "ken-amina-odhiambo-2",
                                     "fra-1": "fra-amina-odhiambo"}
    assert accounts(portal)["fra-amina-odhiambo"][:3] == ("expert", "FRA", "nominated")
    assert [m.recipients for m in portal.mailer.outbox] == [["amina@example.org"], ["amina.o@example.org"],
                                                            ["amina@example.fr"]]


def test_the_undertakings_acceptance_is_shown_by_its_own_words(portal, clients, review_parties):
    sur, _reviewing, _third = review_parties
    set_stage(portal, sur, "final")
    requester = clients["third-fp"]
    path = file_access_request(requester, sur).location.replace("http://localhost", "")
    fire(clients["sur-fp"], path, "grant")
    fire(requester, path, "accept")
    history = requester.get(path).text.split('class="history"', 1)[1]
    assert "Confidentiality undertaking accepted" in history
    assert "Granted → Granted" not in history and "Requested → Granted" in history


def test_an_assistance_thread_shows_who_sees_it_not_the_reviews_banner(portal, clients, review_parties):
    sur, _reviewing, _third = review_parties
    set_stage(portal, sur, "desk-review")
    path = f"{CYCLE}reviews/{sur}/"
    sur_fp = clients["sur-fp"]
    sur_fp.post(path + "assistance/@@new", {"csrf_token": csrf_from(sur_fp.get("/")), "title": "Checklist help",
                                            "text": "How do we answer section 2?"}, status=303)
    for page in (sur_fp.get(path + "assistance/1/"), sur_fp.get(path + "assistance/")):
        assert ASSISTANCE_BANNER in page.text and REVIEW_BANNER not in page.text
    # The dialogue, which the reviewing States see, keeps the review's banner.
    with review_of(portal, sur) as review:
        name = add_question(review, files=())
    for page in (sur_fp.get(path + f"dialogue/{name}/"), sur_fp.get(path + "dialogue/")):
        assert REVIEW_BANNER in page.text and ASSISTANCE_BANNER not in page.text



def test_a_move_that_may_stay_in_its_state_must_say_what_it_does():
    """Every workflow: a transition whose target is one of its sources needs its own words for the history."""
    data = {"name": "x", "title": "x", "initial": "a", "states": {"a": {"title": "A"}},
            "transitions": [{"name": "note", "title": "Note", "from": ["a"], "to": "a", "permission": "p"}]}
    with pytest.raises(ValueError):
        Workflow.from_data(data)
    data["transitions"][0]["done"] = "Noted"
    assert Workflow.from_data(data).transitions["note"].done == "Noted"
