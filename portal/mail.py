"""Outgoing mail through pyramid_mailer, translated into the recipient's language, sent at commit."""

from pathlib import Path

from pyramid.i18n import make_localizer
from pyramid.interfaces import ITranslationDirectories
from pyramid_mailer import _set_mailer
from pyramid_mailer.mailer import DebugMailer
from pyramid_mailer.message import Message

from portal.i18n import LANGUAGES, translate_with


def includeme(config):
    """``mail.mode``: ``debug`` (files in ``mail.debug_dir``), ``dummy`` (tests) or ``smtp``."""
    settings = config.registry.settings
    mode = settings.get("mail.mode", "debug")
    if mode == "dummy":
        config.include("pyramid_mailer.testing")
    elif mode == "debug":
        directory = settings.get("mail.debug_dir", "var/mail")
        Path(directory).mkdir(parents=True, exist_ok=True)
        _set_mailer(config, DebugMailer(directory))
    elif mode == "smtp":
        config.include("pyramid_mailer")
    else:
        raise ValueError(f"unknown mail.mode {mode!r}")


def localizer_for(request, lang):
    if lang not in LANGUAGES:
        lang = "en"
    dirs = request.registry.queryUtility(ITranslationDirectories, default=[])
    return make_localizer(lang, dirs)


def send(request, recipient, lang, subject, body):
    """Queue a mail to ``recipient`` in ``lang``; it leaves only if the transaction commits."""
    localizer = localizer_for(request, lang)
    message = Message(
        subject=translate_with(localizer, subject),
        sender=request.registry.settings.get("mail.default_sender", "review-portal@localhost"),
        recipients=[recipient],
        body=translate_with(localizer, body),
    )
    request.mailer.send(message)
    return message
