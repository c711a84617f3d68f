"""Roles, the principals that hold them globally, and the role -> permission map that becomes an ACL.

Global roles are held by group principals (the secretariat, administrators, observers, everyone).
Local roles are stored on resources (``__local_roles__``: principal -> roles) and apply to the
resource and everything below it, so a sharing change touches one object and re-indexes nothing.
"""

from pyramid.authorization import ALL_PERMISSIONS, Allow, Authenticated, Deny, Everyone

ANONYMOUS = "Anonymous"
AUTHENTICATED = "Authenticated"
SECRETARIAT = "Secretariat"
ADMINISTRATOR = "Administrator"
OBSERVER = "Observer"
OWNER = "Owner"
FOCAL_POINT = "FocalPoint"  # any state's focal point (global)
EXPERT = "Expert"  # any state's governmental expert (global)
REQUESTER = "Requester"  # local: the state that filed a request
# Local roles on a country review (R18): the state under review and its reviewing states, per function.
REVIEWED_FOCAL_POINT = "ReviewedFocalPoint"
REVIEWED_EXPERT = "ReviewedExpert"
REVIEWER_FOCAL_POINT = "ReviewerFocalPoint"
REVIEWER_EXPERT = "ReviewerExpert"
GRANTEE = "Grantee"  # local, on a final report: the users of a state granted access to read it (R20)
NOMINATING_STATE = "NominatingState"  # local: the focal point of the state that nominated an expert (R17)
STAKEHOLDER_CONTRIBUTOR = "StakeholderContributor"  # local, on one invitation only: the national stakeholder invited (¶27)
DONOR = "Donor"  # local, on a funding record or expenditure: the focal point of the donor State (¶52)
DONOR_STATE = "DonorState"  # local, on /funding: focal points of donor States; opens the list of their own records

GLOBAL_ROLE_PRINCIPALS = {
    ANONYMOUS: Everyone,
    AUTHENTICATED: Authenticated,
    SECRETARIAT: "group:secretariat",
    ADMINISTRATOR: "group:admin",
    OBSERVER: "group:observer",
    FOCAL_POINT: "group:focal-points",
    EXPERT: "group:experts",
}

DENY_ALL = (Deny, Everyone, ALL_PERMISSIONS)


def local_roles_in_lineage(resource):
    """Return ``{role: [principal, ...]}`` from the local roles of ``resource`` and its ancestors."""
    holders = {}
    node = resource
    while node is not None:
        for principal, roles in (getattr(node, "__local_roles__", None) or {}).items():
            for role in roles:
                holders.setdefault(role, []).append(principal)
        node = getattr(node, "__parent__", None)
    return holders


def acl_from_rolemap(resource, rolemap, inherit=True):
    """Turn a role -> permissions map into ACEs for the global and local holders of each role.

    When ``inherit`` is false the ACL ends with a deny-all entry, so nothing granted above the
    resource (for instance public view on a parent) leaks into it.
    """
    acl = []
    local = None
    for role, permissions in rolemap.items():
        if not permissions:
            continue
        permissions = tuple(sorted(permissions))
        principal = GLOBAL_ROLE_PRINCIPALS.get(role)
        if principal is not None:
            acl.append((Allow, principal, permissions))
            continue
        if local is None:
            local = local_roles_in_lineage(resource)
        for holder in local.get(role, ()):
            acl.append((Allow, holder, permissions))
    if not inherit:
        acl.append(DENY_ALL)
    return acl
