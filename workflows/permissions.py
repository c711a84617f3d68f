"""The permission names used in ACLs, views and workflow definitions (one place, so typos fail loudly)."""

VIEW = "view"
VIEW_HISTORY = "view-history"
EDIT = "edit"
CHANGE_PASSWORD = "change-password"
NOMINATE = "nominate"
MANAGE_USERS = "manage-users"
MANAGE_STAFF = "manage-staff"
EDIT_STATES = "edit-states"
ADMINISTER = "administer"

ALL = frozenset(
    {VIEW, VIEW_HISTORY, EDIT, CHANGE_PASSWORD, NOMINATE, MANAGE_USERS, MANAGE_STAFF, EDIT_STATES, ADMINISTER}
)
