"""Security policy: ACLs from workflow state and local roles, inheritance, deny by default, Pyramid traps closed."""

import pytest
from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.config import Configurator
from pyramid.interfaces import IException
from pyramid.security import NO_PERMISSION_REQUIRED
from zope.interface.interface import InterfaceClass

from content.base import ACLComputationError, Resource
from content.folder import Folder
from content.root import PortalRoot
from workflows import Workflow, attach_workflow
from workflows import permissions as P
from workflows import roles as R
from workflows.registry import _WORKFLOWS

DOC_WORKFLOW = Workflow.from_data(
    {
        "name": "test-doc",
        "title": "Test document",
        "initial": "draft",
        "states": {
            "draft": {"title": "Draft", "roles": {"Reviewer": {P.VIEW}, R.SECRETARIAT: {P.VIEW, P.EDIT}}, "inherit": False},
            "published": {"title": "Published", "roles": {R.ANONYMOUS: {P.VIEW}}},
        },
        "transitions": [{"name": "publish", "title": "Publish", "from": ["draft"], "to": "published", "permission": P.EDIT}],
    }
)


class Doc(Resource):
    type_name = "TestDoc"


class SharingFolder(Folder):
    holds_local_roles = True


@pytest.fixture
def tree():
    attach_workflow("TestDoc", DOC_WORKFLOW)
    root = PortalRoot()
    folder = root.add("reviews", SharingFolder())
    doc = folder.add("doc", Doc())
    DOC_WORKFLOW.initialize(doc)
    yield root, folder, doc
    _WORKFLOWS.pop("TestDoc", None)


def allowed(context, principals, permission):
    return bool(ACLHelper().permits(context, [Everyone] + principals, permission))


def test_root_denies_by_default(tree):
    root, folder, doc = tree
    assert allowed(root, [], P.VIEW)
    assert not allowed(root, [Authenticated, "state:KEN"], P.EDIT)
    assert not allowed(root, ["group:secretariat"], P.EDIT_STATES)


def test_acl_inheritance_from_parent(tree):
    root, folder, doc = tree
    # The folder has no rules of its own: the root's public view applies to it.
    assert folder.__acl__ == []
    assert allowed(folder, [], P.VIEW)


def test_local_roles_apply_below_where_granted(tree):
    root, folder, doc = tree
    assert not allowed(doc, ["state:KEN"], P.VIEW)
    folder.grant_local_role("state:KEN", "Reviewer")
    assert allowed(doc, ["state:KEN"], P.VIEW)
    assert not allowed(doc, ["state:FRA"], P.VIEW)
    assert not allowed(doc, ["state:KEN"], P.EDIT)
    folder.revoke_local_role("state:KEN", "Reviewer")
    assert not allowed(doc, ["state:KEN"], P.VIEW)


def test_only_places_that_hold_local_roles_take_them(tree):
    """The search index's access tokens name only such places (content/search_access.py)."""
    root, folder, doc = tree
    with pytest.raises(TypeError):
        doc.grant_local_role("state:KEN", "Reviewer")


def test_non_inheriting_state_hides_public_parent(tree):
    root, folder, doc = tree
    # The root is public, but a draft ends its ACL with deny-all.
    assert not allowed(doc, [], P.VIEW)
    assert allowed(doc, ["group:secretariat"], P.VIEW)


def test_workflow_state_changes_acl(tree):
    root, folder, doc = tree
    doc.workflow_state = "published"
    assert allowed(doc, [], P.VIEW)
    assert not allowed(doc, ["group:secretariat"], P.EDIT)


def test_attribute_error_in_acl_is_not_swallowed(tree):
    """Pyramid treats AttributeError from __acl__ as 'no ACL' and silently uses the parent's."""
    root, folder, doc = tree

    class Broken(Resource):
        @property
        def role_permissions(self):
            return self.missing_attribute  # AttributeError

    broken = folder.add("broken", Broken())
    with pytest.raises(ACLComputationError):
        ACLHelper().permits(broken, [Everyone], P.VIEW)


def views_without_permission(registry):
    """Non-exception views registered without an explicit permission (they would get only the default)."""
    missing = []
    for view in registry.introspector.get_category("views"):
        intr = view["introspectable"]
        context = intr["context"]
        if intr["exception_only"] or (isinstance(context, type) and issubclass(context, BaseException)):
            continue
        if isinstance(context, InterfaceClass) and context.isOrExtends(IException):
            continue  # Pyramid's own view for HTTP exception responses
        if not [r for r in view["related"] if r.category_name == "permissions"]:
            missing.append((intr["name"], context))
    return missing


def test_every_view_declares_a_permission(portal):
    assert views_without_permission(portal.registry) == []


def test_view_permission_check_catches_a_view_without_permission():
    with Configurator() as config:
        config.add_view(lambda context, request: "x", name="oops", renderer="string")
        config.add_view(lambda context, request: "y", name="fine", renderer="string", permission=NO_PERMISSION_REQUIRED)
        config.commit()
        assert [name for name, _ in views_without_permission(config.registry)] == ["oops"]


def test_default_permission_is_view(portal):
    from pyramid.interfaces import IDefaultPermission

    assert portal.registry.getUtility(IDefaultPermission) == P.VIEW


def test_csrf_required_by_default(portal):
    from pyramid.interfaces import IDefaultCSRFOptions

    assert portal.registry.getUtility(IDefaultCSRFOptions).require_csrf is True


def test_debugtoolbar_refused_outside_development():
    from portal import main

    from .conftest import make_settings

    with pytest.raises(ValueError):
        main({}, **make_settings(**{"portal.development": "false", "pyramid.includes": "pyramid_debugtoolbar"}))


def test_short_session_secret_refused():
    from portal import main

    from .conftest import make_settings

    with pytest.raises(ValueError):
        main({}, **make_settings(**{"portal.session_secret": "short"}))


def test_principals_of_users(portal):
    from content.users import User

    fp = User("ken-fp", "F", "f@x", "focal-point", state="KEN")
    assert fp.principals() == ["user:ken-fp", "state:KEN", "state:KEN:focal-point", "group:focal-points"]
    assert "group:focal-points" not in User("ken-x", "E", "e@x", "expert", state="KEN").principals()
    expert = User("ken-x", "E", "e@x", "expert", state="KEN")
    assert "state:KEN:expert" in expert.principals() and "group:experts" in expert.principals()
    assert User("sec", "S", "s@x", "secretariat").principals() == ["user:sec", "group:secretariat"]
    assert User("adm", "A", "a@x", "admin").principals() == ["user:adm", "group:admin"]
    assert User("obs", "O", "o@x", "observer").principals() == ["user:obs", "group:observer"]


def test_policy_principals_follow_the_session(portal, signed_in):
    """The policy, not request.effective_principals (not fed by a Pyramid 2 policy), gives principals."""
    client = signed_in("ken-fp")
    data = client.get("/users/ken-fp/@@json").json
    assert data["state"] == "KEN"
    anon = portal.client()
    anon.get("/users/ken-fp/@@json", status=403)


def test_json_hides_children_the_caller_may_not_see(portal, signed_in):
    anon_items = {i["@id"].rstrip("/").rsplit("/", 1)[-1] for i in portal.client().get("/@@json").json["items"]}
    assert {"states", "cycles", "group"} <= anon_items
    assert not anon_items & {"users", "experts", "trainings"}
    sec = signed_in("sec", function="secretariat", state=None)
    sec_items = {i["@id"].rstrip("/").rsplit("/", 1)[-1] for i in sec.get("/@@json").json["items"]}
    assert {"users", "experts", "trainings", "states"} <= sec_items
    fp = signed_in("fra-fp", state="FRA")
    fp_items = {i["@id"].rstrip("/").rsplit("/", 1)[-1] for i in fp.get("/@@json").json["items"]}
    assert "trainings" in fp_items and "users" not in fp_items


def test_json_forbidden_is_403_and_unknown_is_404(portal):
    anon = portal.client()
    r = anon.get("/users/@@json", status=403)
    assert r.json["error"] == 403
    anon.get("/states/XYZ/@@json", status=404)


def test_anonymous_html_forbidden_redirects_to_login(anon):
    r = anon.get("/users/", status=303)
    assert "/@@login?came_from=" in r.location


def test_unknown_methods_get_405_with_allow(portal):
    """TRACE and OPTIONS rendered pages, PUT and DELETE answered "Form expired" (issue 16): every method
    but GET, HEAD and POST is refused with 405, the methods allowed, and a translated page."""
    client = portal.client()
    for method in ("TRACE", "OPTIONS", "PUT", "DELETE", "PATCH"):
        for path in ("/", "/states/KEN", "/@@login"):
            response = client._gen_request(method, path, status=405, headers={"Accept-Language": "fr"})
            assert response.headers["Allow"] == "GET, HEAD, POST", (method, path)
            assert "Méthode non autorisée" in response.text and "Kenya" not in response.text


def test_a_nul_or_control_character_in_a_form_is_refused_and_changes_nothing(portal, signed_in):
    """NUL characters were accepted in titles and texts (issue 16): any control character but tab and line
    breaks in a form's text is refused with a translated 400, and nothing is saved."""
    from tests.conftest import last_form

    client = signed_in("sec", function="secretariat", state=None)
    form = last_form(client.get("/states/KEN/@@edit"))
    form["name_en"] = "Kenya\x00 (NUL)"
    response = form.submit("save", status=400, headers={"Accept-Language": "fr"})
    assert "caractère de contrôle" in response.text
    form["name_en"] = "Kenya\x1b[31m"
    form.submit("save", status=400)
    with portal.root() as root:
        assert root["states"]["KEN"].names["en"] == "Kenya"
    form["name_en"] = "Kenya\r\n(two lines are allowed in texts)"
    form.submit("save", status=303)


def test_bidirectional_controls_are_removed_from_names(portal):
    """A right-to-left override in a file or person's name makes it read as something else (issue 16)."""
    from content.attachments import clean_filename
    from content.experts import Expert
    from content.users import User

    assert clean_filename("invoice\u202efdp.exe") == "invoicefdp.exe"
    assert User("x", "Ann\u202eeb", "x@example.org", "expert").fullname == "Anneb"
    expert = Expert("KEN", "Amina\u2067 Odhiambo", "", {}, "test")
    assert expert.name == "Amina Odhiambo"
    expert.update("B\u202dob", "", {}, "test")
    assert expert.name == "Bob"
    assert clean_filename("تقرير\u200f.pdf") == "تقرير\u200f.pdf"  # the ordinary right-to-left mark stays
