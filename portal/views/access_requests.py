"""Access requests (ToR ¶37, R20): a focal point of another state party asks to read a final report;
the State under review grants or refuses with a comment; the grant takes effect when the requester
accepts the confidentiality undertaking, and lasts until revoked. Each step is in the audit log."""

import colander
import deform
from pyramid.traversal import resource_path
from pyramid.view import view_config

from content.access_requests import FINDINGS, SCOPES, AccessRequest, AccessRequests
from content.audit import EVENTS, audit_log
from portal.forms import CSRFSchema, button, form_page, make_form
from portal.i18n import _, translate
from portal.notices import tell
from portal.views import flash, redirect, user_state
from portal.views.helpers import state_name, state_value
from portal.report_titles import part_title, section_titles
from portal.views.helpers import workflow_info
from workflows import get_workflow
from workflows import permissions as P

UNDERTAKING = _("On behalf of my State, I undertake to keep this report confidential: to use it only for the "
                "purpose stated in the request, not to pass it on to anyone outside my State's authorities, and "
                "not to publish any part of it (ToR ¶37).")


def part_choices(request, report):
    """``[(name, title)]`` a requester may ask for: the report's sections, whose titles follow the public
    blueprint and checklist, and the findings as a whole (their kinds and articles are confidential)."""
    parts = report.get("parts")
    names = {p.__name__ for p in parts.values()} if parts is not None else set()
    choices = [(key, title) for key, title in section_titles(request, report).items() if key in names]
    if parts is not None and any(p.kind == "finding" for p in parts.values()):
        choices.append((FINDINGS, translate(request, _("Findings"))))
    return choices


@colander.deferred
def _parts_widget(node, kw):
    return deform.widget.CheckboxChoiceWidget(values=part_choices(kw["request"], kw["report"]))


@colander.deferred
def _parts_validator(node, kw):
    known = {name for name, _title in part_choices(kw["request"], kw["report"])}

    def validate(node, value):
        if not set(value) <= known:
            raise colander.Invalid(node, _("This report has no such part."))

    return validate


class RequestSchema(CSRFSchema):
    reason = colander.SchemaNode(colander.String(), title=_("Reason for the request"),
                                 validator=colander.Length(min=10, max=5000),
                                 widget=deform.widget.TextAreaWidget(rows=5))
    scope = colander.SchemaNode(colander.String(), title=_("Extent of the request"), validator=colander.OneOf(list(SCOPES)),
                                widget=deform.widget.SelectWidget(values=list(SCOPES.items())))
    details = colander.SchemaNode(colander.Set(), title=_("Which parts"), missing=(), widget=_parts_widget,
                                  validator=_parts_validator)

    def validator(self, node, value):
        if value["scope"] == "parts" and not value["details"]:
            raise colander.Invalid(node["details"], _("Say which parts of the report you ask for."))


@view_config(context=AccessRequests, name="new", renderer="portal:templates/form.pt", permission=P.REQUEST_ACCESS)
def new_request(context, request):
    review = context.review
    own = user_state(request)
    name = state_name(request, review.state)
    page_title = translate(request, _("Request access to the report on the review of ${state}", mapping={"state": name}))
    if own in review.parties():
        error = _("Your State takes part in this review and already reads its report.")
    elif context.open_request_of(own) is not None:
        error = _("Your State already has an open request for this report.")
    else:
        error = None
    if error is not None:
        return {"page_title": page_title, "error": translate(request, error), "form": ""}
    form = make_form(RequestSchema, request, buttons=[button("save", _("Send the request"))], report=review["report"])

    def save(data):
        access = context.add(context.next_number(), AccessRequest(own, request.authenticated_userid, data["reason"].strip(),
                                                                 data["scope"],
                                                                 sorted(data["details"]) if data["scope"] == "parts" else ()))
        get_workflow(access).initialize(access, request.authenticated_userid)
        tell(request, "access-request/filed", access)
        flash(request, _("Your request has been sent to the State under review."))
        return redirect(request.resource_url(access))

    return form_page(request, form, page_title, save, intro=translate(request, _(
        "The report is confidential. The State under review decides whether to share it with your State; if it "
        "agrees, you will be asked to accept a confidentiality undertaking before reading it (ToR ¶37).")))


@view_config(context=AccessRequests, renderer="portal:templates/access_requests.pt", permission=P.VIEW)
def requests_list(context, request):
    review = context.review
    rows = [(r, state_name(request, r.requester_state)) for r in sorted(context.values(), key=lambda r: int(r.__name__))]
    return {"page_title": translate(request, _("Requests for access to the report on the review of ${state}",
                                               mapping={"state": state_value(request, review.state)})),
            "review": review, "rows": rows, "scopes": SCOPES}


@view_config(context=AccessRequest, renderer="portal:templates/access_request.pt", permission=P.VIEW)
def request_view(context, request):
    request.environ["portal.no_page_cache"] = True  # the reads listed below change with every read
    review = context.review
    report = review["report"]
    log = audit_log(context)
    reads = [(n, r) for n, r in log.latest(0, 200, path_prefix=resource_path(report))
             if r["event"] == "read" and r["state"] == context.requester_state]
    return {"page_title": translate(request, _("Request of ${requester} for the report on the review of ${state}",
                                               mapping={"requester": state_value(request, context.requester_state),
                                                        "state": state_value(request, review.state)})),
            "review": review, "report": report, "scopes": SCOPES, "events": EVENTS,
            "requester_name": state_name(request, context.requester_state),
            "undertaking": UNDERTAKING if request.has_permission(P.ACCEPT_UNDERTAKING, context) else None,
            "can_read": request.has_permission(P.VIEW, report), "reads": reads,
            "part_titles": dict(part_choices(request, report)),
            "granted_parts": [(p, part_title(request, p, report)) for p in (report.get("parts") or {}).values()
                              if context.scope == "parts" and request.has_permission(P.VIEW, p)],
            "workflow": workflow_info(context, request),
            "history": list(reversed(context.workflow_history or []))}


def request_links(request, state):
    """``[(cycle, review, url)]``: the final reports on ``state`` the reader's state may ask to read."""
    from pyramid.traversal import find_root

    own = user_state(request)
    links = []
    for cycle in find_root(state)["cycles"].values():
        review = cycle["reviews"].get(state.iso3) if "reviews" in cycle else None
        folder = review.get("access-requests") if review is not None else None
        if folder is not None and own not in review.parties() and request.has_permission(P.REQUEST_ACCESS, folder):
            links.append((cycle, review, request.resource_url(folder, "@@new")))
    return links
