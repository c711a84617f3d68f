"""``/robots.txt`` and ``/sitemap.xml`` (issue 22 §5): the public pages, each with its six language versions
as hreflang alternates, for search engines; only what the public may read (the same ACLs, for Everyone)."""

from xml.sax.saxutils import quoteattr

from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from content.root import PortalRoot
from portal.i18n import LANGUAGES
from portal.published import public_parts, public_summaries
from portal.security import public
from workflows import permissions as P

# Never worth a crawler's visit: private areas and the portal's own forms.
DISALLOWED = ("/users/", "/audit", "/@@login", "/@@forgot", "/@@reset", "/@@activate", "/@@dashboard", "/@@search",
              "/@@calendar")


def public_pages(root):
    """The resources whose page the public may read, in a stable order: home, the States and their pages, the
    cycles, the Group's meetings, the Conference's decisions, the trainings, and the published documents of
    the reviews (executive summaries in each published language, published parts)."""
    pages = [root]
    for name in ("states", "cycles", "group", "conference", "trainings"):
        if name in root:
            pages.append(root[name])
    pages += list(root["states"].values())
    pages += list(root["cycles"].values())
    for _cycle, _review, group, versions in public_summaries(root):
        pages += [group] + versions
    pages += [part for _cycle, _review, part in public_parts(root)]
    group = root.get("group")
    meetings = group.get("meetings") if group is not None else None
    if meetings is not None:
        pages += list(meetings.values())
    for name in ("conference", "trainings"):
        if name in root:
            pages += list(root[name].values())
    return [page for page in pages if public(page, P.VIEW)]


@view_config(context=PortalRoot, name="sitemap.xml", permission=NO_PERMISSION_REQUIRED, request_method=("GET", "HEAD"))
def sitemap(context, request):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for page in public_pages(context):
        url = request.resource_url(page)
        lines.append(f"  <url><loc>{_escape(url)}</loc>")
        for lang in LANGUAGES:
            alternate = request.resource_url(page, query={"lang": lang})
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(alternate)}/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return Response("\n".join(lines) + "\n", content_type="application/xml", charset="utf-8")


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@view_config(context=PortalRoot, name="robots.txt", permission=NO_PERMISSION_REQUIRED, request_method=("GET", "HEAD"))
def robots(context, request):
    lines = ["User-agent: *"] + [f"Disallow: {path}" for path in DISALLOWED]
    lines.append(f"Sitemap: {request.resource_url(context, 'sitemap.xml')}")
    return Response("\n".join(lines) + "\n", content_type="text/plain", charset="utf-8")
