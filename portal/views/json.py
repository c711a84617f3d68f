"""``<resource>/@@json``: fields, workflow state and the children the caller may view, under the HTML's own checks."""

from pyramid.view import view_config

from content.base import Resource
from content.folder import Folder
from portal.access_audit import read_under_grant
from portal.i18n import translate
from workflows import permissions as P

JSON_PAGE_SIZE = 100


def summary(request, resource):
    return {
        "@id": request.resource_url(resource),
        "@type": resource.type_name,
        "title": translate(request, resource.title),
        "workflow_state": resource.workflow_state,
    }


@view_config(context=Resource, name="json", renderer="json", permission=P.VIEW)
def resource_json(context, request):
    read_under_grant(request, context)  # a grantee's read is recorded in every representation (R20)
    data = summary(request, context)
    data.update(context.json_fields(request))
    items = []
    if isinstance(context, Folder):
        try:
            start = max(0, int(request.GET.get("start", 0)))
        except (ValueError, UnicodeDecodeError):
            start = 0
        total, page = context.page(start, JSON_PAGE_SIZE)
        items = [summary(request, child) for _name, child in page if request.has_permission(P.VIEW, child)]
        if start + JSON_PAGE_SIZE < total:
            data["next"] = request.resource_url(context, "@@json", query={"start": start + JSON_PAGE_SIZE})
    data["items"] = items
    return data
