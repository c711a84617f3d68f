"""Issue 21 point 4, "no dead ends": submitting the checklist is confirmed on a page that says what it means;
after submission its answer form says when it was submitted and how to reopen it (still refused); every refusal
links back; a draw request that cannot be granted is refused when filed, with its reason; a refusal at the
decision says why and links to the request and the cycle."""

import re

from portal.i18n import format_date
from tests.conftest import csrf_from, last_form
from tests.cycle_fixtures import CYCLE, cycle_of, decide, file_request, reviewer_loads, set_stage
from tests.test_checklists import checklist_url, fill, open_section


def review_url(sur):
    return f"{CYCLE}reviews/{sur}/"


def answer_all(portal, fp, sur):
    with portal.root() as root:
        keys = [s.key for s in root["cycles"]["first-cycle"]["reviews"][sur]["checklist"].sections()]
    for key in keys:
        fill(open_section(fp, sur, key)).submit("save", status=303)


def stage_of(portal, sur):
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        return review.workflow_state, [dict(e) for e in review.workflow_history]


# -- submitting the checklist ------------------------------------------------------------------------------

def test_the_checklist_button_leads_to_a_confirmation_page_that_submits(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    fp = clients["sur-fp"]
    page = fp.get(checklist_url(sur))
    # The checklist page's button is no longer the submission itself: it leads to the confirmation page.
    assert not [f for f in page.forms.values() if f.action.endswith("@@transition")]
    form = [f for f in page.forms.values() if f.action.endswith("@@submit-checklist")][0]
    assert form.method.lower() == "get"
    page = form.submit()
    assert page.status_int == 200 and "@@submit-checklist" in page.request.url
    # While questions are open, the page lists them (with the way to their section) and offers no submission.
    assert "Questions without an answer:" in page.text
    assert "@@answer?section=untoc-5" in page.text
    assert not [f for f in page.forms.values() if f.action.endswith("@@transition")]
    assert stage_of(portal, sur)[0] == "checklist"
    answer_all(portal, fp, sur)
    page = fp.get(review_url(sur) + "@@submit-checklist")
    assert "the checklist is locked and the reviewing States can read it; the secretariat can reopen it" in page.text
    assert "Questions without an answer" not in page.text
    assert f'href="http://localhost{checklist_url(sur)}"' in page.text  # cancel: back to the checklist
    # The review page's own button leads to the same page, not to the submission.
    review_page = fp.get(review_url(sur))
    assert [f for f in review_page.forms.values() if f.action.endswith("@@submit-checklist")]
    assert not [f for f in review_page.forms.values() if f.action.endswith("@@transition")
                and f.get("transition", default=None) is not None and f["transition"].value == "submit-checklist"]
    form = [f for f in page.forms.values() if f.action.endswith("@@transition")][0]
    assert form["transition"].value == "submit-checklist"
    form.submit(status=303)
    state, history = stage_of(portal, sur)
    assert state == "desk-review" and history[-1]["actor"] == "sur-fp"


def test_the_confirmation_page_is_the_focal_points_only_while_the_checklist_is_open(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    url = review_url(sur) + "@@submit-checklist"
    clients["sur-fp"].get(url, status=200)
    for kind in ("sur-expert", "rev-fp", "rev-expert", "third-fp", "observer", "admin", "secretariat"):
        clients[kind].get(url, status=403)
    clients["sur-fp"].post(url, {"csrf_token": csrf_from(clients["sur-fp"].get(url))}, status=404)  # GET only
    set_stage(portal, sur, "desk-review")
    clients["sur-fp"].get(url, status=403)


def test_the_direct_submission_still_works(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    fp = clients["sur-fp"]
    answer_all(portal, fp, sur)
    token = csrf_from(fp.get(checklist_url(sur)))
    fp.post(review_url(sur) + "@@transition", {"csrf_token": token, "transition": "submit-checklist"}, status=303)
    assert stage_of(portal, sur)[0] == "desk-review"


def test_after_submission_the_answer_page_says_when_and_how_to_reopen(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    fp = clients["sur-fp"]
    answer_all(portal, fp, sur)
    last_form(fp.get(review_url(sur) + "@@submit-checklist")).submit(status=303)
    submitted = stage_of(portal, sur)[1][-1]["when"]
    date = format_date(submitted.date(), "en")
    for kind in ("sur-fp", "sur-expert"):
        page = clients[kind].get(checklist_url(sur) + "@@answer", params={"section": "untoc-5"}, status=403)
        assert f"The checklist was submitted on {date}; its answers are read-only now." in page.text
        assert "ask the secretariat to reopen the checklist" in page.text
        assert f'href="http://localhost{checklist_url(sur)}"' in page.text
        assert "Access denied" not in page.text
    # Saving a section opened before the submission: the same page, and nothing saved.
    page = clients["sur-fp"].post(checklist_url(sur) + "@@answer?section=untoc-5",
                                  {"csrf_token": csrf_from(fp.get(checklist_url(sur))), "save": "save"}, status=403)
    assert "read-only now" in page.text
    # The reviewing States still cannot answer; they are not told to ask for a reopening.
    for kind in ("rev-fp", "rev-expert"):
        page = clients[kind].get(checklist_url(sur) + "@@answer", params={"section": "untoc-5"}, status=403)
        assert "ask the secretariat" not in page.text
    # The secretariat is told it can reopen it itself.
    page = clients["secretariat"].get(checklist_url(sur) + "@@answer", params={"section": "untoc-5"}, status=403)
    assert "reopen the checklist from the review's page" in page.text
    # Others learn nothing: the usual refusal.
    page = clients["third-fp"].get(checklist_url(sur) + "@@answer", params={"section": "untoc-5"}, status=403)
    assert "submitted" not in page.text and "Access denied" in page.text
    # Past the desk review it can no longer be reopened, and the page says so.
    set_stage(portal, sur, "dialogue")
    page = fp.get(checklist_url(sur) + "@@answer", params={"section": "untoc-5"}, status=403)
    assert f"submitted on {date}" in page.text and "can no longer be reopened" in page.text
    assert "ask the secretariat" not in page.text


# -- a refusal links back ------------------------------------------------------------------------------

def test_a_refusal_links_back_to_where_the_reader_was(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    rev = clients["rev-fp"]
    # From a page of the portal: back to it.
    page = rev.get(checklist_url(sur) + "@@answer", params={"section": "untoc-5"}, status=403,
                   headers={"Referer": f"http://localhost{checklist_url(sur)}"})
    assert "Access denied" in page.text
    assert f'<a href="http://localhost{checklist_url(sur)}">Back to the previous page</a>' in page.text
    # From elsewhere (or without a Referer): to the nearest page at or above it that the reader may see (the
    # reviewing State sees only the progress of the checklist, not the checklist itself: the review).
    for headers in ({"Referer": "https://elsewhere.example/page"}, {}):
        page = rev.get(checklist_url(sur) + "@@answer", params={"section": "untoc-5"}, status=403, headers=headers)
        assert "elsewhere.example" not in page.text
        assert re.search(rf'<a href="http://localhost{re.escape(review_url(sur))}">Back to “[^”]+”</a>', page.text)
    # A view refused on a page the reader may see: back to that page.
    page = clients["sur-expert"].get(review_url(sur) + "@@team", status=403)
    assert re.search(rf'<a href="http://localhost{re.escape(review_url(sur))}">Back to “[^”]+”</a>', page.text)
    # A hidden review: the nearest page the reader may see, never the review.
    page = clients["third-fp"].get(review_url(sur), status=403)
    assert f'href="http://localhost{CYCLE}reviews/"' not in page.text
    assert f'<a href="http://localhost{CYCLE}">Back to “First review cycle”</a>' in page.text
    # ... the same as for a review that does not exist there (nothing learnt from the link).
    missing = clients["third-fp"].get(f"{CYCLE}reviews/QQQ/", status=403)
    assert f'<a href="http://localhost{CYCLE}">Back to “First review cycle”</a>' in missing.text


# -- draw requests ----------------------------------------------------------------------------------------

def test_a_volunteer_for_a_year_already_drawn_is_refused_when_filed(portal, drawn, signed_in):
    status, schedule, assignments = cycle_of(portal)
    year = min(schedule)
    assert assignments.get(year)  # the first year's reviewers are drawn: the year is full
    later = schedule[year + 1][0]
    fp = signed_in("later-fp", function="focal-point", state=later)
    page = file_request(fp, "volunteer", year, justification="We are ready to be reviewed earlier.", status=200)
    assert f"The reviewing States for {year} have already been drawn; this request can no longer be granted." in page.text
    assert "Nothing was sent" in page.text
    form = last_form(page)  # nothing typed is lost
    assert form["kind"].value == "volunteer" and form["year"].value == str(year)
    assert form["justification"].value == "We are ready to be reviewed earlier."
    with portal.root() as root:
        cycle = root["cycles"]["first-cycle"]
        assert len(cycle["requests"]) == 0
    assert cycle_of(portal) == (status, schedule, assignments)


def test_a_deferral_that_cannot_be_granted_is_refused_when_filed(portal, selected, signed_in):
    _, schedule, _ = cycle_of(portal)
    last = max(schedule)
    fp = signed_in("last-fp", function="focal-point", state=schedule[last][0])
    page = file_request(fp, "deferral", last, status=200)
    assert f"{last} is the last year of the cycle: there is no following year to defer to." in page.text
    with portal.root() as root:
        assert len(root["cycles"]["first-cycle"]["requests"]) == 0
    # A deferral that can be granted is filed as before.
    file_request(fp, "deferral", last - 1, state=None, status=200)  # not selected for that year: refused too
    fp2 = signed_in("fp2", function="focal-point", state=schedule[last - 1][0])
    file_request(fp2, "deferral", last - 1).follow()
    with portal.root() as root:
        assert len(root["cycles"]["first-cycle"]["requests"]) == 1


def test_the_secretariats_refusal_says_why_and_links_to_the_request_and_the_cycle(portal, drawn):
    _, schedule, assignments = cycle_of(portal)
    year = min(schedule)
    loads = reviewer_loads(assignments, year)
    busy = next(r for r, s in sorted(loads.items()) if len(s) >= 2)
    file_request(drawn, "exemption", year, state=busy, under_review=sorted(loads[busy])[0])
    page = decide(drawn, f"{CYCLE}requests/1/", volunteer="", status=409)
    assert "Name the State that volunteers to take over this review." in page.text
    assert "still waiting for a decision" in page.text
    assert f'<a href="http://localhost{CYCLE}requests/1/">Back to the request</a>' in page.text
    assert f'<a href="http://localhost{CYCLE}">Back to the cycle</a>' in page.text
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["requests"]["1"].workflow_state == "requested"
