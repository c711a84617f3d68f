"""What every page's layout needs: language, direction, switcher links, breadcrumbs, the signed-in user."""

from datetime import datetime, timezone
from html import escape
from functools import lru_cache
from urllib.parse import urlencode

from pyramid.location import lineage
from pyramid.security import view_execution_permitted
from pyramid.settings import asbool

from portal.i18n import (LANGUAGE_NAMES, LANGUAGE_TITLES, LANGUAGE_PARAM, LANGUAGES, _, _n, format_date, format_datetime, format_money, text_direction,
                          translate)
from language import from_data
from language.multilingual import LocalizedText
from content.review_parts import review_of
from portal.report_titles import part_title
from workflows import permissions as P
from portal.storage import portal_root
from workflows import get_workflow
from portal.settings import SESSION_COOKIE


# Resources whose title is written by people, in the language of the review they belong to.
WRITTEN_TITLES = frozenset({"Question", "AssistanceRequest", "OutsideSource"})
# The downloads a page offers (the views in portal/views/downloads.py decide who may use them).
DOWNLOADS = (("pdf", _("Download as PDF")), ("docx", _("Download as Word")))


class Html(str):
    """Text that is already HTML (escaped where it must be): templates insert it as it is."""

    def __html__(self):
        return self


class Layout:
    """Helpers for ``layout.pt``; one per rendered page."""

    def __init__(self, request, context):
        self.request = request
        self.context = context
        self.lang = request.locale_name
        self.dir = text_direction(self.lang)
        self.user = request.identity
        self._language_links = None

    def t(self, message):
        """Translate a translation string (with nested mappings) for this page."""
        return translate(self.request, message)

    def language_of(self, resource=None):
        """The language a text of ``resource`` (default: the page's resource) is written in: a country review's
        working language inside a review (R25), else the page's."""
        review = review_of(resource if resource is not None else self.context)
        language = getattr(review, "language", None)
        return language if language in LANGUAGES else self.lang

    @staticmethod
    def unread_label(count):
        return _n("(${count} unread)", "(${count} unread)", count)

    def unread(self):
        """How many of the signed-in user's notifications are unread (read only: no inbox is made here)."""
        inbox = getattr(self.user, "inbox", None) if self.user is not None else None
        return inbox.unread() if inbox is not None else 0

    def actor(self, login):
        """Who did something: a login name, or "the portal" for what the portal did itself."""
        if login == "system":
            return self.t(_("the portal"))
        return login or "—"

    def language_list(self, codes):
        """Languages by their own names, each marked as written in itself, joined as a list: "English, Français"."""
        return Html(escape(self.list_separator).join(
            f'<span lang="{code}" dir="{text_direction(code)}">{escape(LANGUAGE_NAMES[code])}</span>' for code in codes))

    def local(self, value):
        """A text written for readers (``LocalizedText``) in the page's language; when that version is missing,
        the original, marked with its language, and a notice saying so. Other values are translated."""
        if not isinstance(value, LocalizedText):
            return translate(self.request, value) if value is not None else ""
        text, shown = value.in_language(self.lang)
        if shown == self.lang or not text:
            return Html(f"<bdi>{escape(text)}</bdi>")
        notice = translate(self.request, _("(not yet translated; original: ${language})",
                                           mapping={"language": LANGUAGE_TITLES[shown]}))
        return Html(f'<bdi lang="{shown}" dir="{text_direction(shown)}">{escape(text)}</bdi> '
                    f'<small class="untranslated">{escape(notice)}</small>')

    def language_links(self):
        """``[(code, endonym, url, current)]``: the current address in each language (computed once per page)."""
        if self._language_links is None:
            self._language_links = self._make_language_links()
        return self._language_links

    def _make_language_links(self):
        try:
            params = [(k, v) for k, v in self.request.GET.items() if k != LANGUAGE_PARAM]
        except UnicodeDecodeError:
            params = []
        base = self.request.path_url
        return [
            (code, LANGUAGE_NAMES[code], base + "?" + urlencode(params + [(LANGUAGE_PARAM, code)]), code == self.lang)
            for code in LANGUAGES
        ]

    def breadcrumbs(self):
        """``[(title, url)]`` from the root down to the context, only through resources the user may view."""
        crumbs = []
        if self.context is None or getattr(self.context, "__parent__", False) is False:
            return crumbs
        for node in reversed(list(lineage(self.context))):
            if not self.request.has_permission(P.VIEW, node):
                break
            # A question's or request's title is the parties' text, in the review's working language.
            written = self.language_of(node) if node.type_name in WRITTEN_TITLES else None
            crumbs.append((self.title_of(node), self.request.resource_url(node), written))
        return crumbs

    def title_of(self, resource):
        """A resource's title in the page language (states by their name in it, a report's part by its section
        or finding)."""
        name = getattr(resource, "name", None)
        if callable(name):
            return name(self.lang)
        if resource.type_name == "ReportPart":
            return part_title(self.request, resource, resource.__parent__.__parent__)
        return self.t(resource.title)

    def nav(self):
        """Top navigation: sections the user may view."""

        root = portal_root(self.request)
        items = []
        for key in ("states", "cycles", "group", "conference", "technical-assistance", "funding", "users"):
            folder = root.get(key) if root is not None else None
            if folder is not None and self.request.has_permission(P.VIEW, folder):
                items.append((self.t(folder.title), self.request.resource_url(folder)))
        if root is not None and self.request.has_permission(P.TRANSLATE, root):
            items.append((self.t(_("Translations")), self.request.resource_url(root, "@@translations")))
        audit = root.get("audit") if root is not None else None
        if audit is not None and self.request.has_permission(P.VIEW_AUDIT, audit):
            items.append((self.t(audit.type_title), self.request.resource_url(audit)))
        return items

    def recorded(self, data):
        """A message kept in a record as data (``language.to_data``: a history entry's ``change``), translated."""
        return self.t(from_data(data))

    def state_title(self, resource, state_name):
        """The translated title of a workflow state of ``resource`` (history rows, listings)."""

        workflow = get_workflow(resource)
        if workflow is None or state_name not in workflow.states:
            return state_name or "—"
        return self.t(workflow.states[state_name].title)

    def history_change(self, resource, entry):
        """What a workflow history row of ``resource`` says happened: "from → to", or, for a move that stayed
        in its state, the transition's own words (``Transition.done``)."""
        workflow = get_workflow(resource)
        source, target = entry.get("from"), entry.get("to")
        transition = workflow.transitions.get(entry.get("transition")) if workflow is not None else None
        if source is not None and source == target and transition is not None:
            return self.t(transition.done or transition.title)
        return f"{self.state_title(resource, source)} → {self.state_title(resource, target)}"

    def has_session(self):
        return SESSION_COOKIE in self.request.cookies

    def flash_messages(self, queue=""):
        """Pending messages; the session is only modified (and its cookie re-signed) when there are some."""
        if not self.has_session():
            return []
        session = self.request.session
        return session.pop_flash(queue) if session.peek_flash(queue) else []

    def csrf_token(self):
        return self.request.session.get_csrf_token()

    def format_datetime(self, value):
        """A date-time in the page language (Babel), in UTC."""
        return format_datetime(value, self.lang) + " UTC" if value else ""

    def format_iso_date(self, value):
        """A ``YYYY-MM-DD`` string as a date in the page language; empty stays empty."""
        from datetime import date

        if not value:
            return ""
        try:
            return self.format_date(date.fromisoformat(value))
        except ValueError:
            return value

    def format_timestamp(self, value):
        """A POSIX time stamp (the search index's dates) as a date in the page language."""
        return self.format_date(datetime.fromtimestamp(value, timezone.utc).date()) if value else ""

    def format_date(self, value):
        return format_date(value, self.lang) if value else ""

    def format_money(self, amount, currency):
        """An amount in ``currency`` as the page language writes it (the annex keeps amounts as text)."""
        return format_money(amount, currency, self.lang)

    @property
    def list_separator(self):
        """What the page language puts between the items of a list written inline (", ", "、", " و")."""
        return _list_separator(self.lang)

    def downloads(self, resource, query=None):
        """``[(title, address)]``: the documents ``resource`` downloads as (PDF, Word) that this reader may
        download, as the views' own permissions say (portal/views/downloads.py)."""
        links = []
        for name, title in DOWNLOADS:
            try:
                permitted = view_execution_permitted(resource, self.request, name)
            except TypeError:  # no such download for this kind of resource
                continue
            if permitted:
                links.append((self.t(title), self.request.resource_url(resource, "@@" + name, query=query)))
        return links

    def format_size(self, size):
        """A file size in kB or MB with the page language's number format (Babel)."""
        from babel.numbers import format_decimal

        if size >= 1024 * 1024:
            return format_decimal(round(size / (1024 * 1024), 1), locale=self.lang) + " MB"
        return format_decimal(max(1, round(size / 1024)), locale=self.lang) + " kB"


@lru_cache(maxsize=8)
def _list_separator(lang):
    from babel.lists import format_list

    written = format_list(["\x00", "\x01", "\x02"], locale=lang)
    return written[written.index("\x00") + 1:written.index("\x01")]


def add_renderer_globals(event):
    """BeforeRender subscriber: make ``layout`` available to every template."""
    request = event.get("request")
    if request is not None and "layout" not in event:
        event["layout"] = Layout(request, event.get("context"))


def security_headers(event):
    """NewResponse subscriber: conservative browser security headers on every response."""

    headers = event.response.headers
    if SESSION_COOKIE in event.request.cookies and "Cache-Control" not in headers:
        headers["Cache-Control"] = "private, no-store"  # signed-in pages never go into shared caches
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    # No inline styles or scripts anywhere (templates and deform's widgets; deform's sequence item carries a
    # cosmetic padding that the browser then ignores).
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    )
    if asbool(event.request.registry.settings.get("portal.session_secure", False)):
        # Served over HTTPS only (its cookies are Secure): browsers are told never to use plain HTTP.
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
