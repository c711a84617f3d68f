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
MANAGE_CYCLES = "manage-cycles"  # create cycles, run draws, decide on requests (the secretariat)
REQUEST_DRAW_CHANGE = "request-draw-change"  # a focal point asks for a deferral, redraw, exemption (R3, R8-R10)
WITHDRAW = "withdraw"  # the requester takes a request back

ALL = frozenset(
    {VIEW, VIEW_HISTORY, EDIT, CHANGE_PASSWORD, NOMINATE, MANAGE_USERS, MANAGE_STAFF, EDIT_STATES, ADMINISTER,
     MANAGE_CYCLES, REQUEST_DRAW_CHANGE, WITHDRAW}
)
