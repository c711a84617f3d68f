"""The governmental expert list (R17, ToR ¶21, ¶21bis): nomination by the state's focal point up to the
cycle's number, profiles, who sees what, withdrawal, and the secretariat's export."""

import csv
import io

from content.cycles import new_cycle
from tests.conftest import last_form


def nominate(client, name="Amina Odhiambo", status=303, **fields):
    form = last_form(client.get("/experts/@@add"))
    form["name"] = name
    form["position"] = fields.pop("position", "Senior State Counsel, Office of the Director of Public Prosecutions")
    form["expertise"] = fields.pop("expertise", "Money-laundering; mutual legal assistance")
    for key, value in fields.items():
        form[key] = value
    return form.submit("save", status=status)


def experts_of(portal):
    with portal.root() as root:
        return {name: (e.state, e.name, e.active) for name, e in root["experts"].items()}


def test_r17_a_focal_point_nominates_its_own_states_experts(portal, signed_in, anon):
    ken, fra = signed_in("ken-fp", "focal-point", "KEN"), signed_in("fra-fp", "focal-point", "FRA")
    assert "state" not in last_form(ken.get("/experts/@@add")).fields  # its own state, not a choice
    nominate(ken).follow()
    nominate(fra, "Claire Martin")
    assert experts_of(portal) == {"ken-1": ("KEN", "Amina Odhiambo", True), "fra-1": ("FRA", "Claire Martin", True)}
    page = ken.get("/experts/")
    assert "Amina Odhiambo" in page.text and "Claire Martin" not in page.text
    assert [i["title"] for i in ken.get("/experts/@@json").json["items"]] == ["Amina Odhiambo"]
    fra.get("/experts/ken-1/", status=403)
    fra.get("/experts/ken-1/@@edit", status=403)
    signed_in("ken-x", "expert", "KEN").get("/experts/", status=403)
    signed_in("obs", "observer", None).get("/experts/ken-1/", status=403)
    anon.get("/experts/ken-1/", status=303)


def test_r17_no_more_experts_than_the_cycle_allows(portal, signed_in):
    with portal.root() as root:
        cycle = root["cycles"].add("c", new_cycle("Cycle", 2027, 2031))
        cycle.experts_per_state = 2
        from workflows import get_workflow

        get_workflow(cycle).initialize(cycle, actor="test")
    ken = signed_in("ken-fp", "focal-point", "KEN")
    nominate(ken, "Expert One")
    nominate(ken, "Expert Two")
    page = nominate(ken, "Expert Three", status=200)
    assert "already has 2 governmental experts on the list" in page.text and "Expert Three" in page.text
    assert len(experts_of(portal)) == 2
    page = ken.get("/experts/ken-1/")
    page.forms[max(k for k in page.forms if isinstance(k, int))].submit(status=303)
    assert experts_of(portal)["ken-1"][2] is False
    nominate(ken, "Expert Three")
    assert experts_of(portal)["ken-3"] == ("KEN", "Expert Three", True)


def test_r17_bad_input_is_refused_and_nothing_is_saved(portal, signed_in):
    ken = signed_in("ken-fp", "focal-point", "KEN")
    assert "write at least 2 characters" in nominate(ken, "A", status=200).text
    assert "Write a valid e-mail address" in nominate(ken, email="not an address", status=200).text
    assert "write at most 4000 characters" in nominate(ken, background="x" * 4001, status=200).text
    assert experts_of(portal) == {}
    # A focal point cannot nominate for another state by adding a field to the form.
    form = last_form(ken.get("/experts/@@add"))
    form["name"] = "Someone"
    fields = list(form.submit_fields()) + [("state", "FRA"), ("save", "save")]
    ken.post("/experts/@@add", fields, status=303)
    assert experts_of(portal)["ken-1"][0] == "KEN"


def test_r17_secretariat_names_the_state_edits_and_exports_the_list(portal, signed_in):
    sec = signed_in("sec", "secretariat", None)
    ken = signed_in("ken-fp", "focal-point", "KEN")
    form = last_form(sec.get("/experts/@@add"))
    form["state"] = "FRA"
    form["name"] = "=HYPERLINK(\"http://evil\")"
    form.submit("save", status=303)
    nominate(ken, "Amina Odhiambo", email="amina@example.org")
    nominate(ken, "Brian Kiptoo")
    form = last_form(ken.get("/experts/ken-2/@@edit"))
    form["position"] = "Chief Inspector"
    form.submit("save", status=303)
    page = ken.get("/experts/ken-2/")
    page.forms[max(k for k in page.forms if isinstance(k, int))].submit(status=303)  # withdrawn
    ken.get("/experts/@@export", status=403)
    response = sec.get("/experts/@@export")
    assert response.content_type == "text/csv" and "no-store" in response.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["iso3", "state", "name", "email"]
    assert [(r[0], r[2]) for r in rows[1:]] == [("FRA", "'=HYPERLINK(\"http://evil\")"), ("KEN", "Amina Odhiambo")]
    assert rows[2][3] == "amina@example.org"
    with portal.root() as root:
        assert [c["change"] for c in root["experts"]["ken-2"].changes] == ["nominated", "updated", "withdrawn"]


def test_r17_an_outsider_cannot_tell_an_existing_expert_from_a_missing_one(portal, signed_in):
    """Another State's focal point gets the same answer for another State's expert and for a number no
    expert has, so it cannot count them (issue 16); who sees every expert still gets 'not found'."""
    ken, fra = signed_in("ken-fp", "focal-point", "KEN"), signed_in("fra-fp", "focal-point", "FRA")
    nominate(ken)
    existing, missing = fra.get("/experts/ken-1/", status=403), fra.get("/experts/ken-2/", status=403)
    assert existing.text.replace("ken-1", "ken-2") == missing.text  # (but for the address in its links)
    assert fra.get("/experts/ken-1/@@json", status=403).json == fra.get("/experts/ken-9/@@json", status=403).json
    signed_in("sec", "secretariat", None).get("/experts/ken-2/", status=404)  # who sees every expert: not found
    # Elsewhere a missing page is still "not found", for everyone (the portal's root holds hidden sections).
    for client in (portal.client(), fra):
        assert "There is nothing at this address" in client.get("/nothing-here", status=404).text
