"""The demo world's voluntary contributions (ToR ¶49, ¶52, ¶55): pledges and contributions of States parties and of
an organization, expenditures for a country visit, a training course and interpretation, and the pilot cycle's
assessment annex with its funding totals. Deterministic: the same records every run, once."""

from datetime import date, timedelta

ACTOR = "portal-demo"
FOUNDATION = "Demo Foundation for Justice and the Rule of Law"


def _donor(root, iso3):
    """``iso3`` when it is a State party in the registry, else None (the demo then names the foundation)."""
    state = root["states"].get(iso3)
    return iso3 if state is not None and state.is_party("UNTOC") else None


def _record(root, kind, donor, amount, currency, day, purpose, earmark="", pledge="", note=""):
    from content.funding import add_record

    iso3 = _donor(root, donor) if len(donor) == 3 else None
    name = "" if iso3 else (FOUNDATION if len(donor) == 3 else donor)  # a State not party: the foundation instead
    data = {"donor_state": iso3 or "", "donor_name": name,
            "amount": amount, "currency": currency, "date": day, "purpose": purpose, "earmark": earmark,
            "pledge": pledge, "note": note}
    return add_record(root, root["funding"], kind, data, ACTOR)


def _spend(root, contribution, amount, day, purpose, paid_for="", text="", description=""):
    from content.funding import add_expenditure

    return add_expenditure(root, root["funding"], {
        "contribution": contribution.__name__, "amount": amount, "currency": contribution.currency, "date": day,
        "purpose": purpose, "paid_for": paid_for, "paid_for_text": text, "description": description}, ACTOR)


def _visited_review(cycle):
    """The first review of ``cycle`` (in code order) with an agreed country visit, else its first review."""
    reviews = list(cycle["reviews"].values()) if "reviews" in cycle else []
    with_visit = [r for r in reviews if "visit" in r]
    return (with_visit or reviews or [None])[0]


def build_demo_funding(root):
    """Once: funding records for the pilot cycle and the first cycle. Called before the Review Group's demo
    (``build_demo_group``) records the pilot's assessment, whose annex then counts the pilot's contributions."""
    funding = root.get("funding")
    if funding is None or len(funding):
        return None
    pilot = root["cycles"].get("pilot-cycle")
    first = root["cycles"].get("first-cycle")
    today = date.today()
    if pilot is not None:
        pledge = _record(root, "pledge", "NOR", "300000", "NOK", date(2022, 11, 15), "country-visits",
                         "cycle:pilot-cycle")
        visits = _record(root, "contribution", "NOR", "300000", "NOK", date(2023, 1, 20), "country-visits",
                         "cycle:pilot-cycle", pledge.__name__)
        review = _visited_review(pilot)
        translation = _record(root, "contribution", "SWE", "150000", "SEK", date(2023, 2, 10), "translation",
                              f"review:pilot-cycle/{review.state}" if review is not None else "cycle:pilot-cycle")
        if review is not None:
            _spend(root, visits, "85000", date(2023, 5, 12), "country-visits", f"review:pilot-cycle/{review.state}",
                   description="Travel and subsistence of the reviewing experts")
            _spend(root, translation, "42000", date(2023, 4, 3), "translation", f"review:pilot-cycle/{review.state}",
                   "Translation of the self-assessment answers into Portuguese")
    if first is not None:
        pledge = _record(root, "pledge", "DEU", "200000", "EUR", today - timedelta(days=300), "general",
                         "cycle:first-cycle")
        visits = _record(root, "contribution", "DEU", "120000", "EUR", today - timedelta(days=200), "country-visits",
                         "cycle:first-cycle", pledge.__name__)
        _record(root, "contribution", "SWE", "80000", "SEK", today - timedelta(days=150), "signatories",
                "cycle:first-cycle", note="For the participation of signatories under review (¶55)")
        course = root["trainings"].get("1") if "trainings" in root else None
        training = _record(root, "contribution", FOUNDATION, "50000", "USD", today - timedelta(days=120), "training",
                           "course:1" if course is not None else "cycle:first-cycle")
        review = _visited_review(first)
        if review is not None:
            key = f"review:first-cycle/{review.state}"
            _spend(root, visits, "23800", today - timedelta(days=20), "country-visits", key,
                   description="Travel and subsistence of the reviewing experts for the country visit")
            _spend(root, visits, "6400", today - timedelta(days=18), "translation", key,
                   "Interpretation into Portuguese during the country visit")
        if course is not None:
            _spend(root, training, "18500", course.start, "training", "course:1",
                   description="Venue, interpretation and travel of trainees")
    return funding
