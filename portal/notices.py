"""Who is told what (docs/notifications.md): one row per transition or event that asks someone to act or
changes what they may see, and ``tell``, which turns a row into inbox entries and mails. Transitions are told
from ``portal.subscribers`` whatever fired them; events that are not transitions are told by their view."""

from dataclasses import dataclass

from pyramid.traversal import find_interface, find_root

from content.reviews import CountryReview
from portal.i18n import _
from portal.review_mail import notify_users, review_recipients, review_state_name


@dataclass(frozen=True)
class Notice:
    """``to``: audiences (``AUDIENCES``); ``subject`` and ``what``: the mail's subject and sentence, which may
    name the State under review (``${state}``, ``${of_state}``…) but never quote a review's text; ``link``: a
    view or child of the resource the notice links to (``""``: the resource itself)."""

    to: tuple
    subject: object
    what: object
    link: str = ""


_PARTIES = ("state-under-review", "reviewing-states")
_EVERYONE = _PARTIES + ("review-experts", "secretariat")

NOTICES = {
    # The review's stages (ToR ¶13-¶33).
    "country-review/open-checklist": Notice(
        ("state-under-review",), _("The self-assessment checklist is open"),
        _("The checklist of the review of ${state} is open for answers. Your State's focal point submits it "
          "once every question is answered."), "checklist"),
    "country-review/submit-checklist": Notice(
        ("reviewing-states", "review-experts", "secretariat"), _("A self-assessment checklist has been submitted"),
        _("${state} has submitted its checklist. The desk review begins: the reviewing States read the answers "
          "and may comment on them."), "checklist"),
    "country-review/reopen-checklist": Notice(
        _PARTIES, _("A self-assessment checklist has been reopened"),
        _("The secretariat has reopened the checklist of the review of ${state}, so that its answers can be "
          "changed; it will be submitted again."), "checklist"),
    "country-review/start-dialogue": Notice(
        _PARTIES + ("review-experts",), _("The constructive dialogue has begun"),
        _("The constructive dialogue of the review of ${state} has begun: the reviewing States and the "
          "secretariat may ask questions, and the State under review answers them."), "dialogue"),
    "country-review/start-drafting": Notice(
        _PARTIES + ("review-experts",), _("The drafting of the report has begun"),
        _("The reviewing States are drafting the report of the review of ${state}; the State under review "
          "may read the draft and comment on it."), "report"),
    "country-review/seek-agreement": Notice(
        _PARTIES, _("A country review report awaits your agreement"),
        _("The report of a country review has been submitted for agreement. Your State's focal point is asked to "
          "agree to it, or to comment on it."), "report"),
    "country-review/resume-drafting": Notice(
        _PARTIES, _("The drafting of the report has resumed"),
        _("The report of the review of ${state} is being drafted again; the agreements given so far no longer "
          "hold, and it will be submitted for agreement again."), "report"),
    "country-review/finalize": Notice(
        _EVERYONE, _("A country review report is final"),
        _("Every State taking part has agreed to the same version of the report, which is now final."), "report"),
    "report/agreements-cleared": Notice(
        _PARTIES, _("The agreements to a report have been cleared"),
        _("The report of the review of ${state} has changed since your State agreed to it. The agreements "
          "given so far are cleared: read the new version and agree to it again."), ""),
    "report-part/publish": Notice(
        ("reviewing-states", "secretariat"), _("Part of a country review report has been published"),
        _("${state} has published a part of the report of its review; everyone can now read it."), ""),
    # The dialogue (¶22, ¶23), assistance (¶16), new information (¶13) and visits (¶28).
    "question/asked": Notice(
        ("state-under-review",), _("A new question in a country review"),
        _("A question of the constructive dialogue awaits your answer by ${due}."), ""),
    "question/answer": Notice(
        ("asker", "reviewing-states", "secretariat"), _("A question has been answered"),
        _("${state} has answered a question of the constructive dialogue."), ""),
    "question/follow-up": Notice(
        ("state-under-review",), _("A follow-up question in a country review"),
        _("A question of the constructive dialogue has a follow-up and awaits your answer."), ""),
    # ... and everyone else who follows the dialogue, with its own words (told with the two rows above)
    "question/asked-others": Notice(
        ("asker", "reviewing-states", "secretariat"), _("A question has been put to the State under review"),
        _("A question of the constructive dialogue has been put to ${state}, or followed up."), ""),
    "visit/cancel": Notice(
        _PARTIES, _("A country visit has been cancelled"),
        _("The country visit or joint meeting of the review of ${state} has been cancelled."), ""),
    "assistance/asked": Notice(
        ("counterpart",), _("A request for assistance in a country review"),
        _("A request for assistance has been written in a country review."), ""),
    "assistance/reply": Notice(
        ("counterpart",), _("A reply about assistance in a country review"),
        _("There is a new reply to a request for assistance in a country review."), ""),
    "checklist/new-information": Notice(
        ("reviewing-states", "review-experts", "secretariat"), _("New information from the State under review"),
        _("${state} has given new information about an answer of its submitted checklist."), ""),
    # The national consultation on the checklist (¶27): a stakeholder invited (a new account gets its activation link
    # instead, being inactive until then), a stakeholder's comment (never quoted).
    "stakeholder/invited": Notice(
        ("named",), _("You are invited to comment on a self-assessment checklist"),
        _("${state} invites you, as a national stakeholder, to read and comment on sections of its answers to the "
          "self-assessment checklist of its review."), ""),
    "stakeholder/commented": Notice(
        ("state-under-review",), _("A national stakeholder has commented on the checklist"),
        _("A national stakeholder invited to the consultation on the checklist of ${state} has commented on it."), ""),
    # Information from international and regional organizations (¶26(c)).
    "source/added": Notice(
        ("state-under-review",), _("Information from an organization added to a country review"),
        _("The reviewing States or the secretariat have added information from an international or regional "
          "organization to the review of ${state}; your State may comment on it."), ""),
    "source/comment": Notice(
        ("adder", "reviewing-states", "secretariat"), _("A comment on information from an organization"),
        _("${state} has commented on information from an international or regional organization added to its "
          "review."), ""),
    "visit/proposed": Notice(
        ("state-under-review",), _("A country visit is proposed"),
        _("A country visit or joint meeting is proposed in a country review; it takes place only if your State "
          "agrees."), ""),
    "visit/revise": Notice(
        ("state-under-review",), _("A country visit is proposed"),
        _("The details of an agreed country visit or joint meeting have changed; it takes place only if your State "
          "agrees to them."), ""),
    "visit/agree": Notice(
        ("reviewing-states", "secretariat"), _("A country visit has been agreed"),
        _("${state} has agreed to the proposed country visit or joint meeting."), ""),
    "visit/decline": Notice(
        ("reviewing-states", "secretariat"), _("A country visit has been declined"),
        _("${state} has declined the proposed country visit or joint meeting."), ""),
    "translation-request/asked": Notice(
        ("counterpart",), _("A translation of a review document is requested"),
        _("A translation of a document of a country review has been requested."), ""),
    "translation-request/reply": Notice(
        ("counterpart",), _("A new message in a request for translation"),
        _("There is a new message in a request for translation of a document of a country review."), ""),
    "translation-request/deliver": Notice(
        ("translation-readers",), _("A translation of a review document is available"),
        _("A translation of a document of a country review has been delivered."), ""),
    # Access to final reports (¶37, R20).
    "access-request/filed": Notice(
        ("state-under-review",), _("A request for access to a country review report"),
        _("Another State party asks to read your State's country review report; your State grants or refuses "
          "access."), ""),
    "access-request/grant": Notice(
        ("requester",), _("Your request for access has been granted"),
        _("${state} has agreed to share the report of its review with your State. Accept the confidentiality "
          "undertaking to read it."), ""),
    "access-request/refuse": Notice(
        ("requester",), _("Your request for access has been refused"),
        _("${state} has refused your State's request to read the report of its review."), ""),
    "access-request/accept": Notice(
        ("state-under-review", "secretariat"), _("A confidentiality undertaking has been accepted"),
        _("A State granted access to the report of the review of ${state} has accepted the confidentiality "
          "undertaking and may now read the report."), ""),
    "access-request/withdraw": Notice(
        ("state-under-review",), _("A request for access has been withdrawn"),
        _("A request to read the report of the review of ${state} has been withdrawn."), ""),
    "access-request/revoke": Notice(
        ("requester",), _("Your State's access to a report has been revoked"),
        _("${state} has revoked your State's access to the report of its review."), ""),
    # The draws (R3, R8-R10) and the people who work (¶17, ¶21).
    "draw-request/filed": Notice(
        ("secretariat",), _("A request about the drawing of lots"),
        _("A State party has filed a request about the drawing of lots; the secretariat decides it."), ""),
    "draw-request/grant": Notice(
        ("requester",), _("Your request about the drawing of lots has been granted"),
        _("The secretariat has granted your State's request about the drawing of lots."), ""),
    "draw-request/refuse": Notice(
        ("requester",), _("Your request about the drawing of lots has been refused"),
        _("The secretariat has refused your State's request about the drawing of lots; the request says why."), ""),
    "expert/nominated": Notice(
        ("secretariat",), _("A governmental expert has been nominated"),
        _("A State party has nominated a governmental expert to the list."), ""),
    "review/team": Notice(
        ("named",), _("You have been named for a country review"),
        _("Your State has named you for the review of ${state}."), ""),
    # The schedule of a review (¶24): proposed to the other side, agreed with the State under review.
    "schedule/proposed": Notice(
        ("counterpart",), _("Dates are proposed for a country review"),
        _("New dates are proposed for the stages of the review of ${state}. Agree to them, or propose others; "
          "they apply once agreed."), "@@schedule"),
    "schedule/agreed": Notice(
        _PARTIES + ("secretariat",), _("The schedule of a country review is agreed"),
        _("The dates of the stages of the review of ${state} are agreed; its deadlines follow them from now on."),
        "@@schedule"),
    # Trainings, meetings and decisions, for every State's focal points.
    "course/added": Notice(
        ("focal-points",), _("A training course is announced"),
        _("A training course for governmental experts is announced: ${title}. Your State may register its experts."),
        ""),
    "course/registered": Notice(
        ("named",), _("You are registered for a training course"),
        _("Your State has registered you for the training course ${title}."), ""),
    "meeting/added": Notice(
        ("focal-points",), _("A meeting is announced"),
        _("A meeting of the Implementation Review Group is announced: ${title}."), ""),
    "decision/added": Notice(
        ("focal-points", "secretariat"), _("A decision of the Conference has been recorded"),
        _("A decision of the Conference of the Parties has been recorded: ${title}."), ""),
}


# Rows told together: the second tells whoever the first did not, in its own words.
ALSO = {"question/asked": "question/asked-others", "question/follow-up": "question/asked-others"}


def _state_users(users, review, states):
    return [user for iso3 in states for user in review_recipients(users, review, iso3)]


def _experts_of(root, review):
    """The accounts of the experts every party named for ``review``."""
    experts, users = root["experts"], root["users"]
    logins = [getattr(experts.get(name), "login", None) for iso3 in review.parties()
              for name in review.team(iso3)["experts"]]
    return [users[login] for login in logins if login in users and users[login].active]


def _accounts(root, logins):
    users = root["users"]
    return [users[login] for login in logins if login and login in users and users[login].active]


def _focal_points(root):
    return [u for u in root["users"].values() if u.function == "focal-point" and u.active]


# audience -> (root, review or None, resource, extra) -> users
AUDIENCES = {
    "state-under-review": lambda root, review, resource, extra: _state_users(root["users"], review, [review.state]),
    "reviewing-states": lambda root, review, resource, extra: _state_users(root["users"], review,
                                                                           review.reviewing_states()),
    "review-experts": lambda root, review, resource, extra: _experts_of(root, review),
    "secretariat": lambda root, review, resource, extra: review_recipients(root["users"], review, None),
    "focal-points": lambda root, review, resource, extra: _focal_points(root),
    "asker": lambda root, review, resource, extra: _accounts(root, [resource.messages[0]["who"]]
                                                             if getattr(resource, "messages", None) else []),
    "requester": lambda root, review, resource, extra: _accounts(
        root, [getattr(resource, "requester", None) or getattr(resource, "filed_by", None)]),
    "named": lambda root, review, resource, extra: _accounts(root, extra.get("named", ())),
    "adder": lambda root, review, resource, extra: _accounts(root, [getattr(resource, "added_by", None)]),
    # a thread between the State under review and the secretariat: whichever side did not write
    "counterpart": lambda root, review, resource, extra: review_recipients(
        root["users"], review, None if extra.get("from_state") else review.state),
    # a delivered translation: the State under review alone while the checklist is still its own
    "translation-readers": lambda root, review, resource, extra: _state_users(
        root["users"], review, [review.state] if review.workflow_state in ("scheduled", "checklist")
        else review.parties()),
}


def recipients(key, resource, **extra):
    """The users row ``key`` tells about ``resource``, each once, in the order of the row's audiences."""
    root = find_root(resource)
    review = find_interface(resource, CountryReview)
    seen, users = set(), []
    for audience in NOTICES[key].to:
        for user in AUDIENCES[audience](root, review, resource, extra):
            if user.login not in seen:
                seen.add(user.login)
                users.append(user)
    return users


def tell(request, key, resource, mapping=None, told=(), **extra):
    """Tell everyone row ``key`` names about ``resource`` (never the person acting): an inbox entry, and a mail
    in their language now or in their daily digest. ``extra["named"]``: logins of the ``named`` audience;
    ``extra["from_state"]``: the State (or None, the secretariat) that wrote, for the ``counterpart`` audience;
    ``told``: logins told already, skipped."""
    notice = NOTICES[key]
    review = find_interface(resource, CountryReview)
    values = dict(mapping or {})
    if review is not None:
        values.setdefault("state", review_state_name(review))
    link = request.resource_url(resource, notice.link) if notice.link else request.resource_url(resource)
    subject = _(notice.subject, mapping=values)
    what = _(notice.what, mapping=values)
    users = [user for user in recipients(key, resource, **extra) if user.login not in told]
    sent = notify_users(request, users, review, subject, what, link)
    if key in ALSO:
        sent += tell(request, ALSO[key], resource, mapping, told={u.login for u in users} | set(told), **extra)
    return sent
