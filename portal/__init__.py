"""The Review Portal WSGI application: configuration of storage, security, sessions, i18n and views."""

from pyramid.renderers import JSON
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.config import Configurator
from pyramid.events import NewResponse
from pyramid.tweens import EXCVIEW, INGRESS
from pyramid.session import SignedCookieSessionFactory
from pyramid.settings import asbool

from language.multilingual import LocalizedText
from portal import compile_lock
from portal.cache import AnonymousCacheMiddleware
from portal.databases import database_uri, startup_lock
from portal.device_cookies import key_from_secret
from portal.i18n import LOCALES_DIR, compile_catalogs, install_localizers, negotiate_locale, remember_language
from portal.last_commit import last_commit_clock
from portal.security import SecurityPolicy
from portal.search_index import start_text_indexer
from portal.settings import SESSION_COOKIE, setting_from_env  # noqa: F401  (also the package's names)
from portal.storage import ensure_storage_dirs, open_database, root_factory
from workflows import permissions as P


def main(global_config, **settings):
    """Build the WSGI application from ``.ini`` settings."""
    settings = dict(settings)
    secret = setting_from_env(settings, "portal.session_secret", "PORTAL_SESSION_SECRET")
    if len(secret) < 32:
        raise ValueError("portal.session_secret (or PORTAL_SESSION_SECRET) must be set to at least 32 characters")
    if asbool(settings.get("portal.development")) is False and "pyramid_debugtoolbar" in settings.get("pyramid.includes", ""):
        raise ValueError("pyramid_debugtoolbar is only allowed in a development configuration")
    settings["zodbconn.uri"] = database_uri(settings)
    if not settings["zodbconn.uri"]:
        raise ValueError("zodbconn.uri (or the environment variable it names, or PORTAL_ZODB_URI) must name the database")
    settings.setdefault("tm.manager_hook", "pyramid_tm.explicit_manager")
    settings.setdefault("retry.attempts", "3")
    # A response with a 4xx or 5xx status commits nothing, whether the view raised or returned it.
    settings.setdefault("tm.commit_veto", "pyramid_tm.default_commit_veto")
    ensure_storage_dirs(settings["zodbconn.uri"])
    compile_catalogs()
    compile_lock.install()

    with startup_lock(settings["zodbconn.uri"]):  # processes starting together take turns
        app = pyramid_app(settings, secret)
        app.registry.device_cookie_key = key_from_secret(secret)
        install_localizers(app.registry)
        open_database(app.registry)
    app.registry.last_commit = last_commit_clock(app.registry._zodb_databases[""])
    start_text_indexer(app.registry)
    return AnonymousCacheMiddleware(app, app.registry)


def pyramid_app(settings, secret):
    """The Pyramid application (its database opened by pyramid_zodbconn) with every view, tween and policy."""

    idle = int(settings.get("portal.session_idle_timeout", 1800))
    absolute = int(settings.get("portal.session_absolute_timeout", 12 * 3600))

    with Configurator(settings=settings, root_factory=root_factory) as config:
        config.include("pyramid_tm")
        config.include("pyramid_retry")
        config.include("pyramid_zodbconn")
        config.include("pyramid_chameleon")
        config.include("portal.mail")
        config.include("workflows")
        config.include("portal.subscribers")
        config.include("portal.search_index")
        config.include("portal.forms")
        config.add_renderer("json", json_renderer())
        config.set_session_factory(
            SignedCookieSessionFactory(
                secret,
                cookie_name=SESSION_COOKIE,
                httponly=True,
                samesite="Lax",
                secure=asbool(settings.get("portal.session_secure", False)),
                timeout=idle,
                reissue_time=max(1, idle // 10),
                max_age=None,
            )
        )
        config.set_security_policy(SecurityPolicy(absolute_timeout=absolute, cookie_name=SESSION_COOKIE))
        config.set_default_csrf_options(require_csrf=True)
        config.set_default_permission(P.VIEW)
        config.set_locale_negotiator(negotiate_locale)
        config.add_translation_dirs("colander:locale", "deform:locale", str(LOCALES_DIR))
        config.add_subscriber(remember_language, NewResponse)
        config.add_subscriber("portal.layout.add_renderer_globals", "pyramid.events.BeforeRender")
        config.add_subscriber("portal.layout.security_headers", NewResponse)
        config.add_tween("portal.tweens.utf8_guard_factory", under=EXCVIEW)
        config.add_tween("portal.page_cache.page_cache_tween_factory", under=INGRESS, over="pyramid_tm.tm_tween_factory")
        config.add_static_view("static", "portal:static", cache_max_age=3600, permission=NO_PERMISSION_REQUIRED)
        config.add_static_view("deform_static", "deform:static", cache_max_age=3600, permission=NO_PERMISSION_REQUIRED)
        config.scan("portal.views")
        return config.make_wsgi_app()


def json_renderer():
    """Pyramid's JSON renderer, writing a text in six languages as its original and its versions."""
    renderer = JSON()
    renderer.add_adapter(LocalizedText, lambda text, request: text.as_json())
    return renderer
