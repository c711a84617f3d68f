"""The titles of a country review report's sections, articles and published parts in the page language
(shared by the views and by every page's layout: breadcrumbs name a part by its section or finding)."""

from content.report import BLUEPRINT, GENERAL, KINDS
from content.states import INSTRUMENT_SHORT
from portal.i18n import _, translate


def section_titles(request, report):
    """``{key: title}`` in blueprint order, then one implementation section per article."""
    titles = {k: translate(request, t) for k, t in BLUEPRINT.items()}
    for key, instrument, article, title in report.articles():
        titles[key] = translate(request, _("Implementation of ${instrument}, article ${article}: ${title}",
                                           mapping={"instrument": INSTRUMENT_SHORT[instrument], "article": article,
                                                    "title": title}))
    return titles


def article_titles(request, report):
    titles = {GENERAL: translate(request, _("General"))}
    titles.update({key: translate(request, _("${instrument} ${article}", mapping={
        "instrument": INSTRUMENT_SHORT[instrument], "article": article})) for key, instrument, article, _t in report.articles()})
    return titles


def part_title(request, part, report):
    """A part's title in the page language: the section's title, or the finding's kind and article."""
    if part.kind == "section":
        return section_titles(request, report).get(part.key, part.key)
    return translate(request, _("${kind} (${article})", mapping={
        "kind": KINDS.get(part.finding_kind, part.finding_kind),
        "article": article_titles(request, report).get(part.article, part.article)}))
