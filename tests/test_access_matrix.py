"""Security matrix for the platform's resources: every principal kind × resource × view (HTML and @@json).

Allowed cells answer 200; denied ones answer 403, or a redirect to sign in for anonymous HTML.
Later issues extend this matrix to reviews and their workflow states.
"""

import pytest

from portal import main

from .conftest import Portal, make_settings, sign_in

KINDS = ("anonymous", "ken-fp", "fra-fp", "ken-expert", "observer", "secretariat", "admin")
EVERYONE = set(KINDS)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = {"secretariat", "admin"}

# (path, view, who may open it); view "" is the default HTML page, "@@json" the JSON view.
MATRIX = [
    ("/", "", EVERYONE),
    ("/", "@@json", EVERYONE),
    ("/", "@@dashboard", SIGNED_IN),
    ("/states/", "", EVERYONE),
    ("/states/", "@@json", EVERYONE),
    ("/states/KEN/", "", EVERYONE),
    ("/states/KEN/", "@@json", EVERYONE),
    ("/states/KEN/", "@@edit", STAFF),
    ("/states/", "@@import", STAFF),
    ("/states/KEN/", "@@history", STAFF),
    ("/cycles/", "", EVERYONE),
    ("/cycles/", "@@json", EVERYONE),
    ("/group/", "", EVERYONE),
    ("/group/meetings/", "@@json", EVERYONE),
    ("/group/thematic/", "@@json", EVERYONE),
    ("/experts/", "", STAFF | {"ken-fp", "fra-fp"}),  # focal points see their own state's experts only
    ("/experts/", "@@json", STAFF | {"ken-fp", "fra-fp"}),
    ("/experts/", "@@add", {"secretariat", "ken-fp", "fra-fp"}),
    ("/experts/", "@@export", {"secretariat"}),
    ("/trainings/", "", SIGNED_IN),
    ("/trainings/", "@@json", SIGNED_IN),
    ("/users/", "", STAFF),
    ("/users/", "@@json", STAFF),
    ("/users/", "@@nominate", STAFF),
    ("/users/ken-fp/", "", {"ken-fp"} | STAFF),
    ("/users/ken-fp/", "@@json", {"ken-fp"} | STAFF),
    ("/users/ken-fp/", "@@password", {"ken-fp"}),
    ("/users/ken-fp/", "@@history", STAFF),
    ("/users/ken-nominee/", "", STAFF),  # a nominated account: not even its future owner
    ("/users/ken-nominee/", "@@json", STAFF),
    ("/users/ken-gone/", "@@json", STAFF),  # a deactivated account
    ("/users/ken-gone/", "@@password", set()),
    # Cycles (issue 3): public schedule and draws; the secretariat runs them; requests are private.
    ("/cycles/", "@@add", {"secretariat"}),
    ("/cycles/c0/", "", EVERYONE),  # planned
    ("/cycles/c0/", "@@edit", {"secretariat"}),
    ("/cycles/c0/", "@@request", set()),
    ("/cycles/c1/", "", EVERYONE),  # selection drawn
    ("/cycles/c1/", "@@json", EVERYONE),
    ("/cycles/c1/", "@@edit", set()),
    ("/cycles/c1/", "@@request", {"ken-fp", "fra-fp", "secretariat"}),
    ("/cycles/c1/", "@@relax", {"secretariat"}),
    ("/cycles/c1/", "@@override", {"secretariat"}),
    ("/cycles/c1/", "@@history", STAFF),
    ("/cycles/c1/draws/1/", "", EVERYONE),
    ("/cycles/c1/draws/1/", "@@json", EVERYONE),
    ("/cycles/c1/requests/", "", STAFF),
    ("/cycles/c1/requests/1/", "", {"ken-fp", "secretariat", "admin"}),
    ("/cycles/c1/requests/1/", "@@json", {"ken-fp", "secretariat", "admin"}),
    ("/cycles/c1/requests/1/", "@@decide", {"secretariat"}),
]


@pytest.fixture(scope="module")
def clients():
    portal = Portal(main({}, **make_settings(**{"portal.page_cache": "false"})))
    accounts = {"ken-fp": ("focal-point", "KEN"), "fra-fp": ("focal-point", "FRA"), "ken-expert": ("expert", "KEN"),
                "observer": ("observer", None), "secretariat": ("secretariat", None), "admin": ("admin", None)}
    found = {"anonymous": portal.client()}
    for login, (function, state) in accounts.items():
        portal.add_user(login, function=function, state=state)
        found[login] = portal.client()
        sign_in(found[login], login)
    portal.add_user("ken-nominee", active=False)
    portal.add_user("ken-gone")
    with portal.root() as root:
        root["users"]["ken-gone"].workflow_state = "deactivated"
        _cycles(root)
    yield found
    portal.db.close()


def _cycles(root):
    from content.cycles import new_cycle
    from content.draw_records import DrawRecord
    from content.draw_requests import DrawRequest
    from workflows import get_workflow

    for name, state in (("c0", "planned"), ("c1", "selection-drawn")):
        cycle = root["cycles"].add(name, new_cycle(name, 2027, 2031))
        get_workflow(cycle).initialize(cycle, actor="test")
        cycle.workflow_state = state
    c1 = root["cycles"]["c1"]
    c1.schedule[2027] = ("KEN",)
    c1.parties = [{"iso3": "KEN", "regional_group": "African", "legal_system": "mixed", "instruments": ["UNTOC"]}]
    c1["draws"].add("1", DrawRecord("selection", None, {"parties": []}, "test"))
    req = c1["requests"].add("1", DrawRequest("deferral", "KEN", 2027, "Elections that year.", "ken-fp"))
    get_workflow(req).initialize(req, actor="ken-fp")


CELLS = [(path, view, kind, kind in allowed) for path, view, allowed in MATRIX for kind in KINDS]


@pytest.mark.parametrize("path,view,kind,allowed", CELLS, ids=[f"{k}:{p}{v}" for p, v, k, _ in CELLS])
def test_access(clients, path, view, kind, allowed):
    response = clients[kind].get(path + view, expect_errors=True)
    if allowed:
        assert response.status_int == 200
    elif kind == "anonymous" and view != "@@json":
        assert response.status_int == 303 and "/@@login" in response.location
    else:
        assert response.status_int == 403


def test_matrix_covers_every_top_level_folder(clients):
    listed = {path.strip("/").split("/")[0] for path, _, _ in MATRIX if path != "/"}
    assert {"states", "cycles", "group", "experts", "trainings", "users"} <= listed
