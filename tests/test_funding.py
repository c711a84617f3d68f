"""Voluntary contributions (ToR ¶49, ¶51-¶55, and the Conference's assessment ¶42-¶45): the secretariat records
pledges, contributions and the expenditures charged to them, per currency; a report per cycle and per donor with
CSV and JSON; the assessment's annex shows the cycle's totals; only the secretariat sees amounts, and a donor
State's focal point its own records; bad input is refused with a message and saves nothing."""

import pytest

import csv
import io
from datetime import date

from content.trainings import Course
from tests.conftest import last_form, set_localized
from tests.cycle_fixtures import set_stage

URL = "/funding/"


def fill(form, values):
    for key, value in values.items():
        if key == "day":
            form.set("date", value, index=0)
        elif key in ("earmark", "paid_for", "donor_state", "pledge", "contribution"):
            form[key].force_value(value)  # also a value the list does not offer (a forged request)
        else:
            form[key] = value
    return form


def record(client, kind, status=303, **values):
    """Record a pledge, contribution or expenditure (``kind``) through its form."""
    values.setdefault("day", "2027-02-01")
    form = fill(last_form(client.get(URL + f"@@add-{kind}")), values)
    return form.submit("save", status=status)


def count(portal):
    with portal.root() as root:
        return len(root["funding"])


def add_course(portal):
    with portal.root() as root:
        root["trainings"].add("1", Course("Reviewing the Convention", date(2027, 3, 1), date(2027, 3, 3), "Vienna",
                                          "en", "", "test"))
    return "course:1"


def test_tor52_country_visits_and_training_are_paid_from_recorded_voluntary_contributions(portal, clients,
                                                                                          review_parties):
    sur, reviewing, _third = review_parties
    sec = clients["secretariat"]
    review = f"review:first-cycle/{sur}"
    course = add_course(portal)
    record(sec, "pledge", donor_state=reviewing[0], amount="100000", currency="EUR", purpose="country-visits",
           earmark="cycle:first-cycle")
    page = record(sec, "contribution", donor_state=reviewing[0], amount="60000.50", currency="EUR",
                  purpose="country-visits", earmark="cycle:first-cycle", pledge="1").follow()
    assert "Contribution 2" in page.text and "60,000.50" in page.text
    record(sec, "contribution", donor_name="Demo Foundation for Justice", amount="20000", currency="USD",
           purpose="training", earmark=course)
    page = record(sec, "expenditure", contribution="2", amount="12500", currency="EUR", purpose="country-visits",
                  paid_for=review, description="Travel of the reviewing experts").follow()
    assert "Charged to contribution" in page.text and "12,500.00" in page.text
    record(sec, "expenditure", contribution="3", amount="8000", currency="USD", purpose="training", paid_for=course)
    page = sec.get(URL + "2/")
    assert "Travel of the reviewing experts" not in page.text  # the list shows what was paid for, not descriptions
    assert "47,500.50" in page.text and "12,500.00" in page.text  # unspent balance and what was spent
    assert "60,000.50" in sec.get(URL + "1/").text  # received against the pledge; 39,999.50 still to come
    assert "39,999.50" in sec.get(URL + "1/").text
    # The report of the cycle: per currency, never added across currencies; the cost of the review.
    data = sec.get(URL + "@@report.json", params={"cycle": "first-cycle"}).json
    per = {row["currency"]: row for row in data["currencies"]}
    assert set(per) == {"EUR", "USD"}
    assert (per["EUR"]["pledged"], per["EUR"]["received"], per["EUR"]["spent"], per["EUR"]["balance"]) == \
        ("100000.00", "60000.50", "12500.00", "47500.50")
    assert (per["USD"]["received"], per["USD"]["spent"], per["USD"]["balance"]) == ("20000.00", "8000.00", "12000.00")
    assert data["review_costs"] == [{"review": review, "title": data["review_costs"][0]["title"], "currency": "EUR",
                                     "cost": "12500.00"}]
    purposes = {(row["purpose"], row["currency"]): row["spent"] for row in data["purposes"]}
    assert purposes == {("country-visits", "EUR"): "12500.00", ("training", "USD"): "8000.00"}
    # Per donor: the organization's report holds its own figures only.
    data = sec.get(URL + "@@report.json", params={"donor": "other:Demo Foundation for Justice"}).json
    assert [(r["currency"], r["received"], r["spent"]) for r in data["currencies"]] == [("USD", "20000.00", "8000.00")]
    page = sec.get(URL + "@@report", params={"cycle": "first-cycle"})
    assert "Cost of country reviews" in page.text and "€12,500.00" in page.text
    rows = list(csv.reader(io.StringIO(sec.get(URL + "@@report.csv").body.decode("utf-8-sig"))))
    assert rows[0] == ["section", "key", "name", "currency", "pledged", "received", "spent", "balance"]
    assert ["total", "", "", "EUR", "100000.00", "60000.50", "12500.00", "47500.50"] in rows
    assert any(r[0] == "review-cost" and r[1] == review and r[6] == "12500.00" for r in rows)
    # Every record answers @@json under the page's permission.
    data = sec.get(URL + "4/@@json").json
    assert (data["contribution"], data["amount"], data["currency"], data["paid_for"]) == ("2", "12500.00", "EUR", review)


@pytest.mark.storages("file", "relstorage")  # production runs on PostgreSQL
def test_tor49_translation_beyond_six_languages_charged_to_a_contribution(portal, clients, review_parties):
    sur = review_parties[0]
    sec = clients["secretariat"]
    set_stage(portal, sur, "dialogue")
    record(sec, "contribution", donor_name="Demo Foundation for Justice", amount="5000", currency="CHF",
           purpose="translation", earmark=f"review:first-cycle/{sur}")
    page = record(sec, "expenditure", contribution="1", amount="3200", currency="CHF", purpose="translation",
                  paid_for_text="Interpretation into Portuguese for the country visit").follow()
    assert "Interpretation into Portuguese for the country visit" in page.text
    # More than the unspent balance: refused with the figures, nothing saved, nothing typed lost.
    page = record(sec, "expenditure", 200, contribution="1", amount="1800.01", currency="CHF", purpose="translation",
                  paid_for_text="Translation of the answers into Portuguese")
    assert "more than the unspent balance of contribution 1: 1800.00 CHF" in page.text
    assert "Translation of the answers into Portuguese" in page.text
    # Another currency than the contribution's, or a pledge instead of a contribution: refused.
    page = record(sec, "expenditure", 200, contribution="1", amount="100", currency="EUR", purpose="translation")
    assert "Contribution 1 is in CHF: charge it in the same currency." in page.text
    record(sec, "pledge", donor_name="Demo Foundation for Justice", amount="700", currency="CHF", purpose="translation")
    page = record(sec, "expenditure", 200, contribution="3", amount="100", currency="CHF", purpose="translation")
    assert "an expenditure is charged to a contribution received, not to a pledge" in page.text
    assert count(portal) == 3
    # Exactly the balance is fine; then the contribution cannot be lowered below what was spent.
    record(sec, "expenditure", contribution="1", amount="1800", currency="CHF", purpose="translation")
    form = last_form(sec.get(URL + "1/@@edit"))
    form["amount"] = "4000"
    assert "its amount cannot be less" in form.submit("save", status=200).text
    with portal.root() as root:
        funding = root["funding"]
        assert funding.balance(funding["1"]) == 0 and funding["1"].charges == ("2", "4")


def test_tor55_signatory_participation_purpose(portal, clients):
    sec = clients["secretariat"]
    page = sec.get(URL + "@@add-contribution")
    assert "Participation of signatories (¶55)" in page.text
    record(sec, "contribution", donor_state="NOR", amount="15000", currency="NOK", purpose="signatories",
           earmark="cycle:first-cycle")
    record(sec, "expenditure", contribution="1", amount="9000", currency="NOK", purpose="signatories",
           paid_for_text="Travel of the experts of a signatory under review")
    data = sec.get(URL + "@@report.json").json
    assert [(r["purpose"], r["currency"], r["received"], r["spent"]) for r in data["purposes"]] == \
        [("signatories", "NOK", "15000.00", "9000.00")]
    assert "Participation of signatories (¶55)" in sec.get(URL + "@@report").text


def test_tor42_assessment_annex_shows_funding_totals_per_currency(portal, clients, review_parties):
    sur = review_parties[0]
    sec = clients["secretariat"]
    set_stage(portal, sur, "final")
    record(sec, "pledge", donor_state="SWE", amount="50000", currency="SEK", purpose="general",
           earmark="cycle:first-cycle")
    record(sec, "contribution", donor_state="SWE", amount="40000", currency="SEK", purpose="general",
           earmark="cycle:first-cycle", pledge="1")
    record(sec, "contribution", donor_name="Demo Foundation for Justice", amount="7000", currency="USD",
           purpose="country-visits")  # not earmarked: counted only where it pays for the cycle's review
    record(sec, "expenditure", contribution="3", amount="2500", currency="USD", purpose="country-visits",
           paid_for=f"review:first-cycle/{sur}")
    record(sec, "contribution", donor_state="NOR", amount="999", currency="EUR", purpose="training")  # elsewhere
    with portal.root() as root:
        root["cycles"]["first-cycle"].workflow_state = "closed"
    form = last_form(sec.get("/conference/@@add"))
    form["kind"] = "assessment"
    form["symbol"] = "9/2"
    form.set("date", "2026-10-20", index=0)
    form["cycle"] = "first-cycle"
    for name, value in (("session", "ninth session"), ("title", "Assessment"), ("text", "Assessed.")):
        set_localized(form, name, value)
    page = form.submit("save").follow()
    with portal.root() as root:
        annex = root["conference"]["1"].annex
    funding = annex["funding"]
    assert funding["currencies"] == [
        {"currency": "SEK", "pledged": "50000.00", "received": "40000.00", "spent": "0.00"},
        {"currency": "USD", "pledged": "0.00", "received": "0.00", "spent": "2500.00"}]
    assert {(r["purpose"], r["currency"]) for r in funding["purposes"]} == {("general", "SEK"), ("country-visits", "USD")}
    assert "EUR" not in str(funding)  # the contribution for something else is not the cycle's
    assert "donor" not in str(funding) and "SWE" not in str(funding)  # totals only, no amount per State (R22)
    assert "Voluntary contributions for the cycle" in page.text and "SEK50,000.00" in page.text  # as English writes it
    assert "50\u202f000,00\xa0SEK" in portal.client().get("/conference/1/?lang=fr").text  # and French
    public = portal.client().get("/conference/1/")
    assert "Voluntary contributions for the cycle" in public.text and "Sweden" not in public.text
    assert "Demo Foundation for Justice" not in public.text
    assert portal.client().get("/conference/1/@@json").json["annex"]["funding"] == funding


def test_tor51_only_the_secretariat_sees_amounts(portal, clients, review_parties):
    sur, reviewing, _third = review_parties
    sec = clients["secretariat"]
    record(sec, "contribution", donor_state=sur, amount="1000", currency="USD", purpose="general")
    record(sec, "contribution", donor_state=reviewing[0], amount="2000", currency="USD", purpose="general")
    record(sec, "expenditure", contribution="1", amount="300", currency="USD", purpose="country-visits")
    record(sec, "expenditure", contribution="2", amount="400", currency="USD", purpose="country-visits")
    pages = ["", "@@report", "@@report.csv", "@@report.json", "@@json", "1/", "1/@@json", "2/", "3/", "3/@@json",
             "@@add-pledge", "@@add-contribution", "@@add-expenditure", "1/@@edit", "3/@@edit", "@@mine"]
    for path in pages:
        assert sec.get(URL + path).status_int == 200, path
    # The donor State's focal point: its own contribution and what was charged to it, nothing else.
    own = clients["sur-fp"]
    for path in ("1/", "1/@@json", "3/", "3/@@json", "@@mine"):
        assert own.get(URL + path).status_int == 200, path
    page = own.get(URL + "@@mine")
    assert "Contribution 1" in page.text and "Expenditure 3" in page.text and "Contribution 2" not in page.text
    assert own.get("/@@dashboard").text.count(URL + "@@mine") == 1  # the way to them
    for path in ("", "@@report", "@@report.csv", "@@report.json", "@@json", "2/", "2/@@json", "4/", "99/",
                 "@@add-expenditure", "1/@@edit", "3/@@edit"):
        assert own.get(URL + path, expect_errors=True).status_int == 403, path
    assert 'href="http://localhost/funding/"' not in own.get("/").text  # no way to the secretariat's list
    # Everybody else: nothing at all, not even the list of their own (they have none).
    for kind in ("third-fp", "third-expert", "sur-expert", "rev-expert", "observer", "admin"):
        for path in pages:
            assert clients[kind].get(URL + path, expect_errors=True).status_int == 403, (kind, path)
    anonymous = portal.client()
    for path in pages:
        assert anonymous.get(URL + path, expect_errors=True).status_int in (303, 403), path
        assert "1000" not in anonymous.get(URL + path, expect_errors=True).text
    assert anonymous.get(URL + "1/@@json", expect_errors=True).status_int == 403
    # The secretariat finds the area in the navigation; others do not.
    assert 'href="http://localhost/funding/"' in sec.get("/").text
    assert 'href="http://localhost/funding/"' not in clients["third-fp"].get("/").text
    # A changed donor takes the access with it.
    form = last_form(sec.get(URL + "1/@@edit"))
    form["donor_state"].force_value("NOR")
    form.submit("save", status=303)
    assert own.get(URL + "1/", expect_errors=True).status_int == 403
    assert own.get(URL + "3/", expect_errors=True).status_int == 403
    assert own.get(URL + "@@mine", expect_errors=True).status_int == 403


def test_tor52_bad_amounts_are_refused_and_nothing_is_saved(portal, clients):
    sec = clients["secretariat"]
    for amount, message in (("abc", "Give the amount as a number"), ("-5", "The amount must be more than zero."),
                            ("0", "The amount must be more than zero."), ("12.345", "at most 2 decimals"),
                            ("NaN", "Give the amount as a number"), ("1e15", "The amount is too large.")):
        page = record(sec, "contribution", 200, donor_state="NOR", amount=amount, currency="EUR", purpose="general",
                      note="Kept note")
        assert message in page.text and "Kept note" in page.text, amount
    page = record(sec, "pledge", 200, donor_name="A Foundation", amount="100.5", currency="JPY", purpose="general")
    assert "An amount in JPY has no decimals." in page.text
    page = record(sec, "pledge", 200, donor_state="NOR", donor_name="A Foundation", amount="100", currency="EUR",
                  purpose="general")
    assert "not both" in page.text
    page = record(sec, "pledge", 200, amount="100", currency="EUR", purpose="general")
    assert "Give the donor" in page.text
    assert count(portal) == 0
    record(sec, "pledge", donor_name="A Foundation", amount="100.50", currency="EUR", purpose="general")
    with portal.root() as root:
        assert str(root["funding"]["1"].amount) == "100.50"


def test_tor52_unknown_earmarks_and_pledges_are_refused(portal, clients, review_parties):
    sec = clients["secretariat"]
    for earmark in ("cycle:no-such-cycle", "review:first-cycle/ZZZ", "course:7", "state:NOR", "../users/admin"):
        page = record(sec, "contribution", 200, donor_state="NOR", amount="10", currency="EUR", purpose="general",
                      earmark=earmark)
        assert "this cycle, country review or course does not exist" in page.text, earmark
    page = record(sec, "contribution", 200, donor_state="NOR", amount="10", currency="EUR", purpose="general",
                  pledge="5")
    assert "Choose a pledge of the list." in page.text
    record(sec, "pledge", donor_state="SWE", amount="10", currency="EUR", purpose="general")
    page = record(sec, "contribution", 200, donor_state="NOR", amount="10", currency="EUR", purpose="general",
                  pledge="1")
    assert "A contribution fulfils a pledge of the same donor in the same currency." in page.text
    record(sec, "contribution", donor_state="SWE", amount="10", currency="EUR", purpose="general", pledge="1")
    page = record(sec, "expenditure", 200, contribution="2", amount="1", currency="EUR", purpose="general",
                  paid_for="cycle:first-cycle")  # an expenditure pays for a review or a course, not a cycle
    assert "this cycle, country review or course does not exist" in page.text
    assert count(portal) == 2
    page = record(sec, "contribution", donor_state="NOR", amount="10", currency="EUR", purpose="general",
                  earmark=f"review:first-cycle/{review_parties[0]}").follow()
    assert "Review of" in page.text


def test_tor52_edits_are_kept_in_the_history_and_a_stale_form_answers_409(portal, clients):
    sec = clients["secretariat"]
    record(sec, "contribution", donor_state="NOR", amount="1000", currency="EUR", purpose="general")
    stale = last_form(sec.get(URL + "1/@@edit"))
    form = last_form(sec.get(URL + "1/@@edit"))
    form["amount"] = "1500"
    form["purpose"] = "training"
    page = form.submit("save").follow()
    assert "1,500.00" in page.text and "History" in page.text
    stale["note"] = "Received by bank transfer"
    page = stale.submit("save", status=409)
    assert "changed this record after you opened it" in page.text and "Received by bank transfer" in page.text
    with portal.root() as root:
        entry = root["funding"]["1"]
        assert [dict(h["changes"]) for h in entry.history] == [
            {"amount": ("1000.00", "1500.00"), "purpose": ("general", "training")}]
        assert entry.history[0]["who"] == "sec" and entry.note == ""
    data = sec.get(URL + "1/@@json").json
    assert data["history"][0]["changes"]["amount"] == ["1000.00", "1500.00"]
