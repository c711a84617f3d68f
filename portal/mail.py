"""Outgoing mail through pyramid_mailer, translated into the recipient's language, sent at commit (or,
with a queue, written to it at commit and sent by ``qp``)."""

from pathlib import Path

from pyramid_mailer import _set_mailer
from pyramid_mailer.mailer import DebugMailer
from pyramid_mailer.message import Message

from portal.i18n import localizer, translate_with


def includeme(config):
    """``mail.mode``: ``debug`` (files in ``mail.debug_dir``), ``dummy`` (tests), ``smtp`` (handed to the
    server ``mail.host`` at commit, so the request waits for it) or ``queue`` (written at commit to the
    maildir ``mail.queue_path``, from which repoze.sendmail's ``qp`` sends it: no answer waits for the mail
    server, and none takes longer because a mail left, which matters for the reset form)."""
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
    elif mode == "queue":
        if not settings.get("mail.queue_path"):
            raise ValueError("mail.mode = queue needs mail.queue_path (a maildir that qp sends from)")
        config.include("pyramid_mailer")
    else:
        raise ValueError(f"unknown mail.mode {mode!r}")


def send(request, recipient, lang, subject, body):
    """Queue a mail to ``recipient`` in ``lang``; it leaves only if the transaction commits."""
    localizer_ = localizer(lang, request.registry)
    message = Message(
        subject=translate_with(localizer_, subject),
        sender=request.registry.settings.get("mail.default_sender", "review-portal@localhost"),
        recipients=[recipient],
        body=translate_with(localizer_, body),
    )
    if request.registry.settings.get("mail.mode") == "queue":
        request.mailer.send_to_queue(message)
    else:
        request.mailer.send(message)
    return message
