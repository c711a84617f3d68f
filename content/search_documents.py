"""What of each resource the search index holds: its searchable documents (``documents(resource)``), each with
the permission that shows its text on the resource's page, its language, date and facets.

One resource gives one document, or one per section where a page is read section by section (a checklist's
articles, a report's sections). Text is what the page shows to whoever has that permission, nothing more: a
report's comments are a document of their own, shown with the drafts' permission.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from content.checklists import answer_parts
from content.review_parts import review_of
from language import _
from language.multilingual import LocalizedText
from workflows import permissions as P
from workflows.registry import get_workflow

KINDS = {
    "state": _("State"),
    "cycle": _("Review cycle"),
    "review": _("Country review"),
    "checklist": _("Checklist answers"),
    "question": _("Dialogue question"),
    "assistance": _("Request for assistance"),
    "attachment": _("Attached file"),
    "visit": _("Country visit or joint meeting"),
    "outside-source": _("Information from an organization"),
    "report": _("Draft report"),
    "report-comments": _("Comments on a draft report"),
    "report-part": _("Published report part"),
    "good-practice": _("Good practice"),
    "summary": _("Executive summary"),
    "thematic": _("Thematic implementation report"),
    "access-request": _("Request for access to a report"),
    "draw-request": _("Request about the draws"),
    "translation-request": _("Request for translation"),
    "meeting": _("Meeting of the Review Group"),
    "recommendation": _("Recommendation or conclusion"),
    "decision": _("Decision of the Conference"),
    "course": _("Training course"),
    "expert": _("Governmental expert"),
}
FACETS = ("kind", "state", "cycle", "year", "instrument", "article", "language", "stage")


@dataclass
class Document:
    """One searchable text of a resource (``part`` names it among the resource's documents)."""

    kind: str
    text: str
    part: str = ""
    permission: str = P.VIEW
    language: str = ""
    when: object = None  # a date or datetime: the last change, for "newest first"
    state: str = ""
    cycle: str = ""
    year: object = ""
    instrument: str = ""
    article: str = ""
    stage: str = ""

    def facets(self):
        return {name: str(getattr(self, name) or "") for name in FACETS}

    def timestamp(self):
        when = self.when
        if isinstance(when, date) and not isinstance(when, datetime):
            when = datetime.combine(when, time(), timezone.utc)
        if isinstance(when, datetime):
            return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp()
        return 0.0


def _lines(*values):
    """The text of ``values``: a text in six languages with every version (each reader finds it in theirs)."""
    return "\n".join(t for v in values if v for t in (v.all_texts() if isinstance(v, LocalizedText) else (str(v),)))


def _in_review(resource, kind, text, **fields):
    """A document inside a country review: the review's State, cycle, year, stage and working language."""
    review = review_of(resource)
    cycle = review.__parent__.__parent__ if review is not None and review.__parent__ is not None else None
    workflow = get_workflow(review)
    defaults = {"state": getattr(review, "state", ""), "year": getattr(review, "year", ""),
                "stage": workflow.state_of(review).name if workflow is not None else "",
                "language": getattr(review, "language", "") or "",
                "cycle": getattr(cycle, "__name__", "") or ""}
    return Document(kind, text, **{**defaults, **fields})


def _articles(review):
    """Checklist section key -> (instrument, article, title) of ``review``."""
    checklist = review.get("checklist") if review is not None else None
    if checklist is None:
        return {}
    return {s.key: (s.instrument, s.article, s.title) for s in checklist.sections()}


def _messages(thread):
    return _lines(thread.title, *(m["text"] for m in thread.messages))


def _latest(thread):
    return thread.messages[-1]["when"] if thread.messages else None


def _state(state):
    return [Document("state", _lines(state.iso3, state.iso2, *state.names.values(), *state.formal_names.values()), state=state.iso3)]


def _cycle(cycle):
    return [Document("cycle", _lines(cycle.title), cycle=cycle.__name__)]


def _review(review):
    return [_in_review(review, "review", _lines(review.state))]


def _checklist(checklist):
    docs = []
    for section in checklist.sections():
        parts = [section.title]
        for question in section.questions:
            answer = checklist.answers.get(question.id) or {}
            details = [text for _title, text, choice in answer_parts(answer) if not choice]
            details += [r["title"] for r in checklist.references(question.id)]
            comments = [c["text"] for c in checklist.comments.on(question.id)]
            if any(details) or comments:
                parts.append(_lines(question.text, *details, *comments))
        saved = checklist.saved.get(section.key) or {}
        docs.append(_in_review(checklist, "checklist", _lines(*parts), part=section.key, when=saved.get("when"), instrument=section.instrument, article=section.article))
    return docs


def _report(report):
    articles = _articles(report.review)
    current = report.current()
    if current is None:
        return []
    docs = []
    for key in report.section_keys():
        findings = [f["text"] for f in current.findings if f["article"] == key]
        text = _lines(current.texts.get(key, ""), *findings)
        if not text:
            continue
        instrument, article, _title = articles.get(key, ("", "", None))
        docs.append(_in_review(report, "report", text, part=key, when=current.when,
                               instrument=instrument, article=article))
    comments = [c["text"] for key in report.comments for c in report.comments.on(key)]
    if comments:
        docs.append(_in_review(report, "report-comments", _lines(*comments), part="comments",
                               permission=P.VIEW_DRAFTS, when=current.when))
    return docs


def _report_part(part):
    articles = _articles(review_of(part))
    instrument, article, _title = articles.get(part.article or part.key, ("", "", None))
    published = part.publication()
    kind = "good-practice" if part.finding_kind == "good-practice" else "report-part"  # ¶3(c): found by kind
    return [_in_review(part, kind, _lines(part.text, *(r["title"] for r in getattr(part, "references", ()))),
                       instrument=instrument, article=article,
                       when=published[1] if published else None)]


def _translation(version):
    group = version.__parent__
    holder = getattr(group, "__parent__", None)
    if getattr(holder, "type_name", None) == "ThematicReport":
        return [Document("thematic", _lines(version.text), language=version.language, when=version.saved,
                         cycle=holder.cycle_name)]
    return [_in_review(version, "summary", _lines(version.text), language=version.language, when=version.saved)]


def _question(thread):
    articles = _articles(thread.review)
    instrument, article, _title = articles.get(getattr(thread, "about", ""), ("", "", None))
    return [_in_review(thread, "question", _messages(thread), when=_latest(thread), instrument=instrument,
                       article=article)]


def _assistance(thread):
    return [_in_review(thread, "assistance", _messages(thread), when=_latest(thread))]


def _translation_request(thread):
    return [_in_review(thread, "translation-request", _lines(*(m["text"] for m in thread.messages)),
                       when=_latest(thread) or thread.filed)]


def _attachment(attachment):
    if review_of(attachment) is None:
        return []
    return [_in_review(attachment, "attachment", _lines(attachment.filename, attachment.text),
                       when=attachment.when)]


def _visit(visit):
    return [_in_review(visit, "visit", _lines(visit.place, visit.participants, visit.agenda, visit.minutes),
                       when=visit.start)]


def _outside_source(source):
    """A source of information from an organization (¶26(c)), with the State under review's comments on it."""
    articles = _articles(source.review)
    found = [articles[k] for k in source.articles if k in articles]
    instrument, article, _title = found[0] if len(found) == 1 else ("", "", None)
    return [_in_review(source, "outside-source", _lines(source.organization, source.title, source.note, source.link,
                                                        *(c["text"] for c in source.comments)),
                       when=source.comments[-1]["when"] if source.comments else source.added,
                       instrument=instrument, article=article)]


def _access_request(access):
    return [_in_review(access, "access-request", _lines(access.requester_state, access.reason), when=access.filed)]


def _draw_request(request):
    cycle = request.__parent__.__parent__ if request.__parent__ is not None else None
    return [Document("draw-request", _lines(request.justification, request.exceptional), state=request.state,
                     year=request.year, cycle=getattr(cycle, "__name__", ""), when=request.filed_at)]


def _meeting(meeting):
    return [Document("meeting", _lines(meeting.title, meeting.place, *meeting.agenda, *meeting.observers),
                     year=meeting.year, when=meeting.start or meeting.created[1])]


def _recommendation(item):
    meeting = item.__parent__
    return [Document("recommendation", _lines(item.text), year=getattr(meeting, "year", ""), when=item.created[1])]


def _decision(decision):
    return [Document("decision", _lines(decision.symbol, decision.session, decision._title, decision.text), cycle=decision.cycle_name or "",
                     year=decision.date.year if decision.date else "", when=decision.date)]


def _course(course):
    return [Document("course", _lines(course.title, course.place, course.materials), language=course.language or "",
                     year=course.start.year if course.start else "", when=course.start)]


def _expert(expert):
    return [Document("expert", _lines(expert.name, *(str(v) for v in expert.profile.values())), state=expert.state,
                     when=expert.nominated_at)]


BY_TYPE = {
    "State": _state, "Cycle": _cycle, "CountryReview": _review, "Checklist": _checklist, "Report": _report,
    "ReportPart": _report_part, "Translation": _translation, "Question": _question,
    "AssistanceRequest": _assistance, "TranslationRequest": _translation_request, "Attachment": _attachment,
    "Visit": _visit, "OutsideSource": _outside_source, "AccessRequest": _access_request, "DrawRequest": _draw_request, "Meeting": _meeting,
    "Recommendation": _recommendation, "Decision": _decision, "Course": _course, "Expert": _expert,
}


def documents(resource):
    """The searchable documents of ``resource`` (none for a type the index does not hold)."""
    make = BY_TYPE.get(getattr(resource, "type_name", None))
    return make(resource) if make is not None else []
