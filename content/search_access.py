"""Who may find a document in the search index: access tokens made from the same role maps as the ACLs
(``Resource.rolemap``, ``workflows/roles.py``), so that a grant or a revocation changes one record and
re-indexes no document.

A document's tokens are the principals given the permission by a global role (``group:secretariat``,
``system.Everyone``...) and, for a local role with the permission, ``<role>@<path>`` for every place in the
lineage where that local role could be held (``holds_local_roles``). A reader's tokens are its principals and
``<role>@<path>`` for every local role its principals hold (the index's record of local roles). The reader
finds the document when the two share a token: exactly when the ACL would let it in (tests/test_search.py
checks this against the ACL helper for every document and reader).
"""

from pyramid.traversal import resource_path

from workflows.roles import GLOBAL_ROLE_PRINCIPALS


def places_of(resource):
    """The paths of ``resource`` and its ancestors that hold local roles (nearest first)."""
    places = []
    node = resource
    while node is not None:
        if getattr(node, "holds_local_roles", False):
            places.append(resource_path(node))
        node = getattr(node, "__parent__", None)
    return places


def document_tokens(resource, permission):
    """The tokens of whoever has ``permission`` on ``resource`` (the ACL walk of Pyramid's ACL helper:
    each node's rules, then its parent's while the node inherits)."""
    tokens = set()
    node = resource
    while node is not None:
        rolemap, inherit = node.rolemap()
        places = None
        for role, permissions in rolemap.items():
            if not permissions or permission not in permissions:
                continue
            principal = GLOBAL_ROLE_PRINCIPALS.get(role)
            if principal is not None:
                tokens.add(principal)
                continue
            if places is None:
                places = places_of(node)
            tokens.update(f"{role}@{place}" for place in places)
        if not inherit:
            break
        node = getattr(node, "__parent__", None)
    return frozenset(tokens)


def held_tokens(resource):
    """``{principal: {"<role>@<path>", ...}}`` for the local roles held on ``resource`` itself."""
    path = resource_path(resource)
    return {principal: {f"{role}@{path}" for role in roles}
            for principal, roles in (getattr(resource, "__local_roles__", None) or {}).items()}
