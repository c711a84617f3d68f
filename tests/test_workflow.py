"""The workflow engine: permitted, forbidden and invalid transitions, guards, history, and the HTTP buttons."""

import pytest

from content.users import User
from workflows import GuardRejected, InvalidTransition, TransitionForbidden, Workflow, get_workflow
from workflows import permissions as P
from workflows.definitions.user_account import USER_ACCOUNT


class FakeRequest:
    """Just what the engine uses: a permission check and the user id."""

    def __init__(self, granted=(), userid="sec"):
        self.granted = set(granted)
        self.authenticated_userid = userid

    def has_permission(self, permission, context=None):
        return permission in self.granted


def new_user(function="focal-point"):
    user = User("ken-fp", "Focal", "f@example.org", function, state="KEN")
    USER_ACCOUNT.initialize(user, actor="sec")
    return user


def test_initial_state_and_history():
    user = new_user()
    assert user.workflow_state == "nominated"
    assert user.workflow_history[0]["to"] == "nominated"


def test_permitted_transition_records_history():
    user = new_user()
    USER_ACCOUNT.fire(user, FakeRequest({P.MANAGE_USERS}), "deactivate", comment="left the ministry")
    assert user.workflow_state == "deactivated"
    entry = user.workflow_history[-1]
    assert (entry["transition"], entry["from"], entry["to"], entry["actor"], entry["comment"]) == (
        "deactivate", "nominated", "deactivated", "sec", "left the ministry")
    assert entry["when"] is not None


def test_forbidden_transition_changes_nothing():
    user = new_user()
    with pytest.raises(TransitionForbidden):
        USER_ACCOUNT.fire(user, FakeRequest(set()), "deactivate")
    assert user.workflow_state == "nominated"
    assert len(user.workflow_history) == 1


def test_invalid_transition_from_this_state():
    user = new_user()
    with pytest.raises(InvalidTransition):
        USER_ACCOUNT.fire(user, FakeRequest({P.MANAGE_USERS}), "reactivate")
    assert user.workflow_state == "nominated"


def test_unknown_transition():
    with pytest.raises(InvalidTransition):
        USER_ACCOUNT.fire(new_user(), FakeRequest({P.MANAGE_USERS}), "explode")


def test_guard_rejects_activation_without_password():
    user = new_user()
    with pytest.raises(GuardRejected) as info:
        USER_ACCOUNT.fire(user, FakeRequest(), "activate", check_permission=False)
    assert "password" in str(info.value.message)
    assert user.workflow_state == "nominated"
    user.set_password("a long enough password")
    USER_ACCOUNT.fire(user, FakeRequest(), "activate", check_permission=False, actor="activation-link")
    assert user.workflow_state == "active"


def test_guard_refuses_deactivating_oneself():
    user = new_user()
    with pytest.raises(GuardRejected):
        USER_ACCOUNT.fire(user, FakeRequest({P.MANAGE_USERS}, userid="ken-fp"), "deactivate")


def test_guard_staff_accounts_need_manage_staff():
    staff = new_user(function="secretariat")
    with pytest.raises(GuardRejected):
        USER_ACCOUNT.fire(staff, FakeRequest({P.MANAGE_USERS}), "deactivate")
    USER_ACCOUNT.fire(staff, FakeRequest({P.MANAGE_USERS, P.MANAGE_STAFF}), "deactivate")
    assert staff.workflow_state == "deactivated"


def test_available_lists_only_permitted_and_unguarded():
    user = new_user()
    assert [t.name for t in USER_ACCOUNT.available(user, FakeRequest({P.MANAGE_USERS}))] == ["deactivate"]
    assert USER_ACCOUNT.available(user, FakeRequest(set())) == []


def test_definition_errors_are_caught():
    with pytest.raises(ValueError):
        Workflow.from_data({"name": "x", "title": "x", "initial": "a", "states": {"a": {"title": "A"}},
                            "transitions": [{"name": "t", "title": "T", "from": ["a"], "to": "nowhere", "permission": "p"}]})
    with pytest.raises(ValueError):
        Workflow.from_data({"name": "x", "title": "x", "initial": "zz", "states": {"a": {"title": "A"}}, "transitions": []})


def test_workflow_attached_by_configuration():
    from pyramid import testing

    with testing.testConfig() as config:
        config.include("workflows")
    assert get_workflow(new_user()) is USER_ACCOUNT
    assert get_workflow(object()) is None


def test_acl_follows_state():
    user = new_user()
    acl_nominated = user.__acl__
    assert not any(ace[1] == "user:ken-fp" for ace in acl_nominated if ace[0] == "Allow")
    user.workflow_state = "active"
    assert any(ace[1] == "user:ken-fp" and P.CHANGE_PASSWORD in ace[2] for ace in user.__acl__ if ace[0] == "Allow")


# -- over HTTP: the buttons ------------------------------------------------------------------

def _fire(client, path, transition, status):
    page = client.get(path)
    token = page.html.find("input", {"name": "csrf_token"})["value"]
    return client.post(path + "@@transition", {"csrf_token": token, "transition": transition, "comment": "test"}, status=status)


def test_http_secretariat_deactivates_and_sessions_end(portal, signed_in):
    user_client = signed_in("ken-fp")
    assert user_client.get("/users/ken-fp/@@json").json["workflow_state"] == "active"
    sec = signed_in("sec", function="secretariat", state=None)
    page = sec.get("/users/ken-fp/")
    assert "Deactivate" in page.text
    _fire(sec, "/users/ken-fp/", "deactivate", 303)
    assert sec.get("/users/ken-fp/@@json").json["workflow_state"] == "deactivated"
    # The deactivated user's existing session is over, server-side.
    user_client.get("/users/ken-fp/@@json", status=403)


def test_http_forbidden_and_invalid_transitions(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    fp = signed_in("ken-fp")
    # A focal point may see their own page but not deactivate anyone.
    _fire(fp, "/users/ken-fp/", "deactivate", 403)
    # An invalid transition from this state is a clear 409 and changes nothing.
    r = _fire(sec, "/users/ken-fp/", "reactivate", 409)
    assert "not possible" in r.text
    assert sec.get("/users/ken-fp/@@json").json["workflow_state"] == "active"


def test_http_reactivation_sends_a_new_link(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    portal.add_user("ken-x", function="expert")
    _fire(sec, "/users/ken-x/", "deactivate", 303)
    before = len(portal.mailer.outbox)
    _fire(sec, "/users/ken-x/", "reactivate", 303)
    assert sec.get("/users/ken-x/@@json").json["workflow_state"] == "nominated"
    assert len(portal.mailer.outbox) == before + 1
    assert "@@activate?token=" in portal.mailer.outbox[-1].body


def test_history_view_needs_view_history(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    fp = signed_in("ken-fp")
    assert "History" in sec.get("/users/ken-fp/@@history").text
    fp.get("/users/ken-fp/@@history", status=403)

