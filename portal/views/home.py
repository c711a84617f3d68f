"""The home page and the generic listing of section folders."""

from pyramid.view import view_config

from content.root import PortalRoot, SectionFolder
from portal.i18n import translate
from workflows import permissions as P

PAGE_SIZE = 50


@view_config(context=PortalRoot, renderer="portal:templates/home.pt", permission=P.VIEW)
def home(context, request):
    sections = [
        context[name]
        for name in ("states", "cycles", "group", "conference", "experts", "trainings", "technical-assistance", "funding",
                     "users")
        if name in context and request.has_permission(P.VIEW, context[name])
    ]
    return {"page_title": translate(request, context.title), "sections": sections}


def visible_page(context, request, size=PAGE_SIZE):
    """``(children the user may view, start, next start or None, previous start or None)`` for ``?start=``."""
    try:
        start = max(0, int(request.GET.get("start", 0)))
    except (ValueError, UnicodeDecodeError):
        start = 0
    total, page = context.page(start, size)
    children = [child for _name, child in page if request.has_permission(P.VIEW, child)]
    next_start = start + size if start + size < total else None
    previous = max(0, start - size) if start > 0 else None
    return children, start, next_start, previous


@view_config(context=SectionFolder, renderer="portal:templates/folder.pt", permission=P.VIEW)
def section(context, request):
    children, start, next_start, previous = visible_page(context, request)
    return {
        "page_title": translate(request, context.title),
        "children": children,
        "next_start": next_start,
        "previous_start": previous,
    }
