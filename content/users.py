"""People: ``/users/<login>`` accounts, their function and state, argon2 passwords, activation links, sessions."""

import hashlib
import re
import secrets
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from BTrees.OOBTree import OOBTree
from persistent.list import PersistentList
from zxcvbn import zxcvbn

from content.base import Resource, now, without_bidi_controls
from content.events import modified
from content.folder import Folder
from language import LANGUAGE_NAMES, LANGUAGES, _, _n, to_data
from workflows import permissions as P
from workflows import roles as R

FUNCTIONS = {
    "focal-point": _("Focal point"),
    "expert": _("Governmental expert"),
    "observer": _("Observer"),
    "secretariat": _("Secretariat"),
    "admin": _("Administrator"),
    # ¶27: a person of a national organization invited by a State under review to comment on chosen sections of
    # its checklist (docs/stakeholders.md); principals ``user:<login>`` only, never the State's.
    "stakeholder": _("National stakeholder"),
}
STATE_FUNCTIONS = frozenset({"focal-point", "expert"})
# How a user is told of new work: a mail for each event, or one daily digest (the digest is built later; the
# choice is stored now).
NOTIFICATIONS = {
    "immediate": _("A mail for each event"),
    "digest": _("One mail a day with everything new (daily digest)"),
}
STAFF_FUNCTIONS = frozenset({"secretariat", "admin"})
FUNCTION_GROUPS = {"secretariat": "group:secretariat", "admin": "group:admin", "observer": "group:observer",
                   "focal-point": "group:focal-points", "expert": "group:experts"}
ACTIVATION_VALIDITY = timedelta(days=10)
RESET_VALIDITY = timedelta(hours=1)
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
MIN_PASSWORD_SCORE = 3  # zxcvbn: 3 means at least 10^8 guesses
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; a strong start makes a strong password
CONTEXT_WORDS = ("review", "portal", "unodc", "untoc", "convention", "protocol", "secretariat", "united",
                 "nations", "vienna", "password", "passphrase")

_hasher = PasswordHasher()  # argon2id with the library's recommended cost (RFC 9106)
# A real hash, verified against when the login is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def use_password_hasher(hasher):
    """Hash and verify with ``hasher`` from now on in this process. Only the test suite calls it, with a
    cheap one; the portal never does, and a hash made with other parameters is renewed at the next
    sign-in (``check_password``)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


def _now():
    return datetime.now(timezone.utc)


def token_digest(token):
    """Only digests of activation tokens are stored; the token itself exists in the mail alone."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password):
    return _hasher.hash(password)


def password_problem(password, user=None):
    """A translation string saying what is wrong with a new password for ``user``, or None.

    ASVS V6.2: 12 to 256 characters of any kind, and no composition rules; refused are passwords that
    zxcvbn finds guessable in fewer than 10^8 tries: common and breached passwords (its lists come from
    password leaks), repeats, sequences, keyboard rows, dates, and words of the portal or the user
    (login, name, address)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _n("The password must have at least ${count} character.",
                  "The password must have at least ${count} characters.", MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _n("The password may have at most ${count} character.",
                  "The password may have at most ${count} characters.", MAX_PASSWORD_LENGTH)
    words = _context_words(user)
    if _left_without(password, words) < 4 or \
            zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=words)["score"] < MIN_PASSWORD_SCORE:
        return _("This password is too easy to guess: it is a common password, a pattern, or built from your "
                 "name or login. A few unrelated words make a password that is hard to guess and easy to remember.")
    return None


def _context_words(user):
    """Words an attacker of this portal tries first (ASVS V6.2.11): the user's own, then the portal's."""
    words = []
    if user is not None:
        words += [user.login, *re.split(r"[._-]", user.login), (user.email or "").split("@")[0]]
        words += (user.fullname or "").split()
    words += CONTEXT_WORDS
    return list(dict.fromkeys(w.lower() for w in words if len(w) >= 2))


def _left_without(password, words):
    """How many letters of ``password`` are left once the context ``words``, digits and marks are gone."""
    rest = password.lower()
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return sum(1 for c in rest if c.isalpha())


class UsersFolder(Folder):
    """``/users``: accounts; the secretariat nominates and deactivates, the administrator also manages staff."""

    type_name = "Users"
    hides_entries = True
    type_title = _("Users")
    acl_inherit = False
    role_permissions = {
        R.SECRETARIAT: {P.VIEW, P.NOMINATE, P.MANAGE_USERS},
        R.ADMINISTRATOR: {P.VIEW, P.NOMINATE, P.MANAGE_USERS, P.MANAGE_STAFF},
    }

    def __init__(self):
        super().__init__()
        self.activation_index = OOBTree()  # token digest -> login

    @property
    def title(self):
        return self.type_title

    def find_by_token(self, token, kind="activation"):
        """The user whose unexpired, unused token of ``kind`` (``activation`` or ``reset``) this is, or None;
        a reset link serves only an active account. Both kinds share one index of digests; each is checked
        against its own fields, so one kind never opens the other."""
        login = self.activation_index.get(token_digest(token or ""))
        user = self.get(login) if login else None
        if user is None or not user.token_valid(kind, token) or (kind == "reset" and not user.active):
            return None
        return user

    def issue_activation(self, user, now=None):
        """Give ``user`` a new single-use activation token valid 10 days (older ones stop working)."""
        return self._issue(user, "activation", ACTIVATION_VALIDITY, now)

    def issue_reset(self, user, now=None):
        """Give ``user`` a new single-use password-reset token valid one hour (older ones stop working)."""
        return self._issue(user, "reset", RESET_VALIDITY, now)

    def _issue(self, user, kind, validity, now):
        self._drop(user, kind)
        token = secrets.token_urlsafe(32)
        setattr(user, f"{kind}_digest", token_digest(token))
        setattr(user, f"{kind}_expires", (now or _now()) + validity)
        self.activation_index[token_digest(token)] = user.login
        return token

    def drop_activation(self, user):
        """Make the user's activation token unusable (after use, or when replaced)."""
        self._drop(user, "activation")

    def drop_reset(self, user):
        self._drop(user, "reset")

    def _drop(self, user, kind):
        digest = getattr(user, f"{kind}_digest")
        if digest and self.activation_index.get(digest) == user.login:
            del self.activation_index[digest]
        setattr(user, f"{kind}_digest", None)
        setattr(user, f"{kind}_expires", None)

    def find_by_login_or_email(self, who):
        """Active accounts whose login, or e-mail address (any case), is ``who``."""
        who = (who or "").strip().lower()
        if not who:
            return []
        if "@" not in who:
            user = self.get(who)
            return [user] if user is not None and user.active else []
        return [user for user in self.values() if user.active and (user.email or "").lower() == who]


class User(Resource):
    """An account. Principals: ``user:<login>``, its state and function there, and its group (docs/architecture.md §1)."""

    type_name = "User"
    holds_local_roles = True
    type_title = _("User")
    language = "en"  # language of correspondence (mails) and, once chosen, of the interface (``chosen_language``)
    notifications = "immediate"  # a key of NOTIFICATIONS
    calendar_token_digest = None  # digest of the private address of the user's deadlines feed, when made
    reset_digest = None  # password reset by mail (``UsersFolder.issue_reset``)
    reset_expires = None
    # A national stakeholder (``function == "stakeholder"``): its organization, the kind of it (content.consultation.KINDS)
    # and the State that invited it. Not ``state``: that field gives the State's principals to its focal points and experts.
    organization = None
    organization_kind = None
    stakeholder_of = None

    def __init__(self, login, fullname, email, function, state=None):
        self.login = login
        self.fullname = without_bidi_controls(fullname)
        self.email = email
        self.function = function
        self.state = state
        self.password_hash = None
        self.activation_digest = None
        self.activation_expires = None
        self.sessions = OOBTree()  # session id -> start time; only listed sessions are valid
        self.grant_local_role(f"user:{login}", R.OWNER)

    @property
    def title(self):
        return self.fullname or self.login

    @property
    def active(self):
        return self.workflow_state == "active"

    @property
    def chosen_language(self):
        """The language recorded for this account (by the secretariat at nomination, or by the user in the
        profile), or None for an account that only has the class's default (made by a script): its pages then
        follow the browser."""
        self._p_activate()  # a ghost's __dict__ is empty
        lang = self.__dict__.get("language")
        return lang if lang in LANGUAGES else None

    def update_profile(self, actor, **values):
        """Set the profile's fields (``language``, ``email``, ``notifications``) from ``values``; each change
        goes into the account's history (who, when, old and new, kept as a message translated when shown).
        Returns the names of the fields that changed."""
        changed = []
        for field in ("language", "email", "notifications"):
            if field not in values or values[field] == getattr(self, field):
                continue
            old, new = getattr(self, field), values[field]
            setattr(self, field, new)
            changed.append(field)
            self._record_change(actor, _PROFILE_CHANGES[field](_shown(field, old), _shown(field, new)))
        if "language" in values:
            self.language = values["language"]  # chosen now, even when it is the class's default
        if changed:
            modified(self, "profile")
        return changed

    def _record_change(self, actor, message):
        """A history entry like a workflow move's (the state stays), with the change as ``change``."""
        if self.workflow_history is None:
            self.workflow_history = PersistentList()
        state = self.workflow_state
        self.workflow_history.append({"transition": "edit-profile", "from": state, "to": state, "actor": actor,
                                      "when": now(), "comment": "", "change": to_data(message)})

    def principals(self):
        """The principals this user acts as, besides Everyone and Authenticated."""
        found = [f"user:{self.login}"]
        if self.state and self.function in STATE_FUNCTIONS:
            found += [f"state:{self.state}", f"state:{self.state}:{self.function}"]
        if self.function in FUNCTION_GROUPS:
            found.append(FUNCTION_GROUPS[self.function])
        return found

    # -- passwords ------------------------------------------------------------------------

    def set_password(self, password):
        self.password_hash = hash_password(password)

    def check_password(self, password):
        """True when ``password`` matches; upgrades the hash when argon2's parameters changed."""
        if not self.password_hash or not password or len(password) > MAX_PASSWORD_LENGTH:
            return False
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.password_hash = hash_password(password)
        return True

    # -- activation and sessions ----------------------------------------------------------

    def token_valid(self, kind, token, now=None):
        """Whether ``token`` is this user's unexpired token of ``kind`` (``activation`` or ``reset``)."""
        digest, expires = getattr(self, f"{kind}_digest"), getattr(self, f"{kind}_expires")
        if not digest or not token or expires is None:
            return False
        if not secrets.compare_digest(digest, token_digest(token)):
            return False
        return (now or _now()) < expires

    def start_session(self, now=None):
        """Register a new server-side session id and return it."""
        sid = secrets.token_urlsafe(24)
        self.sessions[sid] = (now or _now()).timestamp()
        return sid

    def prune_sessions(self, older_than):
        """Forget session ids started before ``older_than`` (a timestamp): they are past any timeout."""
        for sid, started in list(self.sessions.items()):
            if started < older_than:
                del self.sessions[sid]

    def end_session(self, sid):
        if sid and sid in self.sessions:
            del self.sessions[sid]

    def end_all_sessions(self, keep=None):
        for sid in list(self.sessions.keys()):
            if sid != keep:
                del self.sessions[sid]

    def json_fields(self, request):
        return {"login": self.login, "fullname": self.fullname, "function": self.function, "state": self.state}


_PROFILE_CHANGES = {
    "language": lambda old, new: _("Language: ${old} → ${new}", mapping={"old": old, "new": new}),
    "email": lambda old, new: _("E-mail address: ${old} → ${new}", mapping={"old": old, "new": new}),
    "notifications": lambda old, new: _("Notifications: ${old} → ${new}", mapping={"old": old, "new": new}),
}


def _shown(field, value):
    """A profile value as the history shows it: a language by its endonym, a notification choice by its title."""
    if field == "language":
        return LANGUAGE_NAMES.get(value, value)
    if field == "notifications":
        return NOTIFICATIONS.get(value, value)
    return value or "—"


def verify_unknown_login(password):
    """Spend the time a real verification takes, for logins that do not exist."""
    try:
        _hasher.verify(_DUMMY_HASH, password or "x")
    except (VerificationError, InvalidHashError):
        pass
    return False
