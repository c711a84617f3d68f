"""Access requests (R20, ¶37): request, grant with a comment, confidentiality undertaking, reading under the
grant with a notice naming the state, revocation; each step in the audit log; and what is refused."""

import pytest

from tests.conftest import csrf_from, last_form
from tests.cycle_fixtures import CYCLE, set_stage


def fire(client, path, transition, comment="", status=303):
    page = client.get("/")  # any page of the session carries its CSRF token
    return client.post(path + "@@transition", {"csrf_token": csrf_from(page), "transition": transition,
                                               "comment": comment}, status=status)


def file(client, sur, status=303, scope="whole", parts=()):
    form = last_form(client.get(f"{CYCLE}reviews/{sur}/access-requests/@@new"))
    form["reason"] = "We are preparing a similar reform of our criminal code."
    form["scope"] = scope
    for field in form.fields.get("checkbox", []):  # deform names each choice of a set "checkbox"
        field.checked = field._value in parts
    return form.submit("save", status=status)


def events(portal):
    with portal.root() as root:
        log = root["audit"]
        return [(r["event"], r["who"], r["state"]) for _n, r in sorted(log.records.items())]


@pytest.mark.storages("file", "relstorage")
def test_r20_request_grant_undertaking_read_revoke_and_the_audit_log(portal, clients, review_parties):
    sur, reviewing, third = review_parties
    set_stage(portal, sur, "final")
    report = f"{CYCLE}reviews/{sur}/report/"
    requester = clients["third-fp"]
    requester.get(report, status=403)
    # The state's public page offers the request to focal points of other states only.
    assert "access-requests/@@new" in requester.get(f"/states/{sur}").text
    assert "access-requests/@@new" not in clients["sur-fp"].get(f"/states/{sur}").text
    assert "access-requests/@@new" not in portal.client().get(f"/states/{sur}").text
    path = file(requester, sur).location.replace("http://localhost", "")
    data = requester.get(path + "@@json").json
    assert (data["requester_state"], data["state_under_review"], data["state"]) == (third, sur, "requested")
    # The state under review grants, with a comment; the report stays closed until the undertaking.
    fire(clients["sur-fp"], path, "grant", comment="For the reform only.")
    requester.get(report, status=403)
    page = requester.get(path)
    assert "Confidentiality undertaking" in page.text and "For the reform only." in page.text
    fire(requester, path, "accept")
    page = requester.get(report)
    assert "Shared with" in page.text and "under a confidentiality undertaking" in page.text
    assert "Versions of the report" not in page.text
    clients["third-expert"].get(report)  # the requesting state's users read it
    for other in ("report/@@versions", "checklist/", "dialogue/", "", "report/@@publish"):
        assert requester.get(f"{CYCLE}reviews/{sur}/{other}", expect_errors=True).status_int == 403, other
    # The state under review sees who read its report under the grant.
    owner_view = clients["sur-fp"].get(path).text
    assert owner_view.count("third-fp") >= 1 and "third-x" in owner_view
    # Revocation closes the report again.
    fire(clients["sur-fp"], path, "revoke")
    requester.get(report, status=403)
    clients["third-expert"].get(report, status=403)
    assert [e[0] for e in events(portal)] == ["request", "grant", "accept", "read", "read", "revoke"]
    assert events(portal)[1][1:] == ("sur-fp", sur) and events(portal)[3][2] == third
    sec_log = clients["secretariat"].get("/audit/").text
    assert "Access revoked" in sec_log and "Read under a grant" in sec_log
    # The secretariat sees the review's requests; a reviewing state does not.
    assert "third" not in clients["rev-fp"].get(f"{CYCLE}reviews/{sur}/access-requests/", expect_errors=True).text
    assert clients["secretariat"].get(f"{CYCLE}reviews/{sur}/access-requests/").status_int == 200


def test_r20_refusal_and_withdrawal(portal, clients, review_parties):
    sur, _reviewing, _third = review_parties
    set_stage(portal, sur, "final")
    path = file(clients["third-fp"], sur).location.replace("http://localhost", "")
    fire(clients["sur-fp"], path, "refuse", comment="Not at this stage.")
    clients["third-fp"].get(f"{CYCLE}reviews/{sur}/report/", status=403)
    assert "Not at this stage." in clients["third-fp"].get(path).text
    second = file(clients["third-fp"], sur).location.replace("http://localhost", "")  # a refused request is closed
    fire(clients["third-fp"], second, "withdraw")
    assert [e[0] for e in events(portal)] == ["request", "refuse", "request", "withdraw"]


def test_r20_bad_requests_and_decisions_change_nothing(portal, clients, review_parties):
    sur, _reviewing, third = review_parties
    set_stage(portal, sur, "agreement")
    clients["third-fp"].get(f"{CYCLE}reviews/{sur}/access-requests/@@new", status=403)  # not final yet
    set_stage(portal, sur, "final")
    for kind, message in (("sur-fp", "Your State takes part in this review"),
                          ("rev-fp", "Your State takes part in this review")):
        page = clients[kind].get(f"{CYCLE}reviews/{sur}/access-requests/@@new")
        assert message in page.text and "<form" not in page.text.split("<main")[1].split("</main>")[0]
    for kind in ("third-expert", "observer", "secretariat"):
        assert clients[kind].get(f"{CYCLE}reviews/{sur}/access-requests/@@new",
                                 expect_errors=True).status_int == 403, kind
    form = last_form(clients["third-fp"].get(f"{CYCLE}reviews/{sur}/access-requests/@@new"))
    form["reason"] = "Short"
    assert "write at least 10 characters" in form.submit("save", status=200).text
    form = last_form(clients["third-fp"].get(f"{CYCLE}reviews/{sur}/access-requests/@@new"))
    form["reason"] = "We are preparing a similar reform."
    form["scope"] = "parts"
    assert "Say which parts of the report you ask for." in form.submit("save", status=200).text
    path = file(clients["third-fp"], sur).location.replace("http://localhost", "")
    assert "already has an open request" in clients["third-fp"].get(
        f"{CYCLE}reviews/{sur}/access-requests/@@new").text
    # Only the state under review's focal point decides; forged forms are refused.
    for kind in ("third-fp", "rev-fp", "sur-expert", "secretariat"):
        assert fire(clients[kind], path, "grant", status="*").status_int == 403, kind
    assert fire(clients["sur-fp"], path, "accept", status="*").status_int in (403, 409)
    assert clients["sur-fp"].post(path + "@@transition", {"transition": "grant"}, status=400)
    with portal.root() as root:
        requests = root["cycles"]["first-cycle"]["reviews"][sur]["access-requests"]
        assert [(r.requester_state, r.workflow_state) for r in requests.values()] == [(third, "requested")]


def test_r20_a_grant_of_parts_opens_those_parts_only(portal, clients, review_parties):
    """Scope "parts": the requester picks sections (public titles) or the findings as a whole; the grant
    opens exactly those parts, not the report page nor any other part; revocation closes them."""
    sur, _reviewing, _third = review_parties
    set_stage(portal, sur, "final")
    report = f"{CYCLE}reviews/{sur}/report/"
    page = clients["third-fp"].get(f"{CYCLE}reviews/{sur}/access-requests/@@new")
    assert "Executive summary" in page.text and "Findings" in page.text
    with portal.root() as root:
        parts = root["cycles"]["first-cycle"]["reviews"][sur]["report"]["parts"]
        findings = sorted(n for n in parts.keys() if n.startswith("finding-"))
        finding_texts = [parts[n].text for n in findings]
    assert not any(text in page.text for text in finding_texts)  # the request form shows no confidential text
    path = file(clients["third-fp"], sur, scope="parts", parts=("summary", "findings")).location.replace(
        "http://localhost", "")
    assert clients["third-fp"].get(path + "@@json").json["parts"] == ["findings", "summary"]
    fire(clients["sur-fp"], path, "grant")
    fire(clients["third-fp"], path, "accept")
    requester = clients["third-fp"]
    assert "Shared with" in requester.get(report + "parts/summary/").text
    for name in findings:
        requester.get(report + f"parts/{name}/")
    for denied in ("", "parts/introduction/", "@@json"):
        assert requester.get(report + denied, expect_errors=True).status_int == 403, denied
    assert report + "parts/summary/" in requester.get(path).text
    fire(clients["sur-fp"], path, "revoke")
    requester.get(report + "parts/summary/", status=403)
    assert requester.get(report + f"parts/{findings[0]}/", expect_errors=True).status_int == 403


def test_r20_every_read_under_a_grant_is_recorded_in_every_representation(portal, clients, review_parties):
    """A grantee reading the report through @@json (the report, its parts folder, each part) leaves an
    audit record for each read, as the pages do; the JSON shows it no more than the page does (not the
    parties' agreements, which only the review's parties see). Issue 16."""
    sur, _reviewing, _third = review_parties
    set_stage(portal, sur, "final")
    report = f"{CYCLE}reviews/{sur}/report/"
    path = file(clients["third-fp"], sur).location.replace("http://localhost", "")
    fire(clients["sur-fp"], path, "grant")
    fire(clients["third-fp"], path, "accept")
    with portal.root() as root:
        names = list(root["cycles"]["first-cycle"]["reviews"][sur]["report"]["parts"].keys())
    reader = clients["third-expert"]
    addresses = [report + "@@json", report + "parts/@@json"] + [report + f"parts/{n}/@@json" for n in names]
    before = [e for e in events(portal) if e[0] == "read"]
    for address in addresses:
        reader.get(address, status=200)
    reads = [e for e in events(portal) if e[0] == "read"][len(before):]
    assert len(reads) == len(addresses) and all(e[1:] == ("third-x", review_parties[2]) for e in reads)
    reader.get(report + "@@json")  # a second read is a second record (never served from a cache)
    assert len([e for e in events(portal) if e[0] == "read"]) == len(before) + len(addresses) + 1
    assert "agreements" not in reader.get(report + "@@json").json
    assert "agreements" in clients["sur-fp"].get(report + "@@json").json  # the parties see them
