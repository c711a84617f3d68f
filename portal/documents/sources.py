"""The ``Document`` of each resource that downloads: a language version of an executive summary or a
thematic report, a Conference decision, a report's current draft, a published part of a final report, a
checklist's answers. Titles are written in the document's language; the texts stay in the language they
were written in (a review's in its working language)."""

from datetime import date

from pyramid.traversal import resource_path

from content.checklists import answer_parts
from content.references import KINDS as REFERENCE_KINDS
from content.report import KINDS
from content.review_parts import review_of
from portal.documents.masthead import GENERAL, RESTRICTED, masthead
from portal.documents.model import Document, Section
from portal.i18n import LANGUAGES, _, localizer, text_direction, translate_with
from portal.report_titles import article_titles, part_title, section_titles
from portal.views.helpers import review_line, section_title, state_value


class InLanguage:
    """The request, as seen by a page written in ``lang``: what ``translate(request, …)`` and the title
    helpers need (its localizer and locale), the rest of the request as it is."""

    def __init__(self, request, lang):
        self._request = request
        self.localizer = localizer(lang, request.registry)
        self.locale_name = lang

    def __getattr__(self, name):
        return getattr(self._request, name)


def _t(view, message):
    return translate_with(view.localizer, message)


def paragraphs(text):
    """A text's paragraphs: its lines, blank ones left out (the page shows the same lines)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def reference(resource):
    """The portal's reference of a resource without a symbol: its address in the portal, short."""
    parts = [p for p in resource_path(resource).split("/") if p and p not in ("cycles", "reviews")]
    return "/".join(parts)


def _document(view, title, original, distribution, day, filename, sections, symbol=None, subtitle="", notice=""):
    lang = view.locale_name
    distribution_label, written, version, original_line = masthead(lang, original, distribution, day)
    return Document(title=title, language=lang, direction=text_direction(lang), symbol=symbol,
                    date=written, original=original_line, distribution=distribution,
                    distribution_label=distribution_label, filename=filename, subtitle=subtitle, notice=notice,
                    masthead_language=lang if lang in ("fr", "es") else "en", version=version,
                    sections=sections, labels={"org": _t(view, _("Review Portal")), "page": ""})


def translation_document(request, version, notice):
    """A language version of an executive summary or a thematic report (``notice``: "for information purposes
    only"), in its own language; general once published, restricted before."""
    group = version.__parent__
    view = InLanguage(request, version.language)
    review = review_of(group)
    if review is not None:
        title = _t(view, _("Executive summary of the review of ${state}", mapping={"state": state_value(view, review.state)}))
        subtitle = review_line(view, review)
    else:
        title, subtitle = _t(view, group.title), ""
    published = version.publication() if version.published else None
    day = published[1].date() if published else date.today()
    return _document(view, title, group.original_language, GENERAL if version.published else RESTRICTED, day,
                     f"{reference(version).replace('/', '-')}", [Section("", paragraphs(version.text))],
                     symbol=getattr(group, "symbol", None) or reference(version), subtitle=subtitle,
                     notice=_t(view, notice))


def decision_document(request, decision, lang):
    """A decision of the Conference in ``lang`` (its text's version in that language, else its original)."""
    view = InLanguage(request, lang)
    text, shown = decision.text.in_language(lang)
    session, _shown = decision.session.in_language(lang)
    return _document(view, _t(view, decision.title), decision.text.original, GENERAL, decision.date,
                     f"decision-{decision.symbol.replace('/', '-')}-{lang}", [Section("", paragraphs(text), shown)],
                     symbol=decision.symbol, subtitle=session)


def citation_lines(view, references):
    """The legislation and cases cited (``content/references.py``) as lines of a document: kind, title, article,
    date and link (a cited file stays in the portal)."""
    lines = []
    for r in references:
        line = f"{_t(view, REFERENCE_KINDS.get(r['kind'], r['kind']))}: {r['title']}"
        line += f", {_t(view, _('art.'))} {r['article']}" if r.get("article") else ""
        line += f" ({r['date']})" if r.get("date") else ""
        lines.append(line + (f" {r['url']}" if r.get("url") else ""))
    return lines


def report_document(request, report):
    """The current draft of a review's report (restricted), in the review's working language: every section
    and the findings by article, for the parties to clear it."""
    review = report.review
    lang = review.language if review.language in LANGUAGES else "en"
    view = InLanguage(request, lang)
    titles, articles = section_titles(view, report), article_titles(view, report)
    sections = [Section(title, paragraphs(report.text(key))) for key, title in titles.items() if report.text(key)]
    findings = [line for f in report.findings() for line in [
        f"{articles.get(f['article'], f['article'])} · {_t(view, KINDS.get(f['kind'], f['kind']))}: {f['text']}",
        *citation_lines(view, f.get("references", ()))]]
    if findings:
        sections.append(Section(_t(view, _("Findings")), findings))
    title = _t(view, _("Draft report of the review of ${state}, version ${version}", mapping={
        "state": state_value(view, review.state), "version": report.current_number()}))
    return _document(view, title, lang, RESTRICTED, date.today(), f"{reference(report).replace('/', '-')}-v{report.current_number()}",
                     sections, symbol=reference(report), subtitle=review_line(view, review))


def part_document(request, part):
    """A part of a final report (a section or a finding), in the review's working language."""
    report = part.__parent__.__parent__
    review = report.review
    lang = review.language if review.language in LANGUAGES else "en"
    view = InLanguage(request, lang)
    published = part.publication() if part.published else None
    return _document(view, part_title(view, part, report), lang, GENERAL if part.published else RESTRICTED,
                     published[1].date() if published else date.today(), reference(part).replace("/", "-"),
                     [Section("", paragraphs(part.text) + citation_lines(view, getattr(part, "references", ())))],
                     symbol=reference(part), subtitle=review_line(view, review))


def checklist_document(request, checklist):
    """A checklist's answers (restricted), questions and titles in the review's working language."""
    review = checklist.__parent__
    lang = review.language if review.language in LANGUAGES else "en"
    view = InLanguage(request, lang)
    sections = []
    for section in checklist.sections():
        lines = []
        for question in section.questions:
            answer = checklist.answers.get(question.id) or {}
            lines.append(question.text_in(lang))
            lines += [f"{_t(view, title)}: {_t(view, value) if choice else line}"
                      for title, value, choice in answer_parts(answer)
                      for line in (paragraphs(value) if not choice else [value])]
            lines += citation_lines(view, checklist.references(question.id))
        sections.append(Section(section_title(view, section, lang), lines))
    title = _t(view, _("Self-assessment checklist of ${state}", mapping={"state": state_value(view, review.state)}))
    return _document(view, title, lang, RESTRICTED, date.today(), reference(checklist).replace("/", "-"), sections,
                     symbol=reference(checklist), subtitle=review_line(view, review))


def published_report_document(request, review, parts):
    """The published parts of a final report (``parts``: those the reader may read), as one document of general
    distribution in the review's working language, each part under its heading."""
    report = review["report"]
    lang = review.language if review.language in LANGUAGES else "en"
    view = InLanguage(request, lang)
    days = [p.publication()[1].date() for p in parts if p.publication()]
    title = _t(view, _("Country review report of ${state}: published parts", mapping={
        "state": state_value(view, review.state)}))
    return _document(view, title, lang, GENERAL, max(days) if days else date.today(),
                     f"{reference(report).replace('/', '-')}-published",
                     [Section(part_title(view, p, report),
                              paragraphs(p.text) + citation_lines(view, getattr(p, "references", ()))) for p in parts],
                     symbol=reference(report), subtitle=review_line(view, review))
