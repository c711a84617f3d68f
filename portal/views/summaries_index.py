"""The index of published executive summaries (issue 22 §4): by year of review, each State (alphabetically in
the reader's language, R22) with the languages its summary is published in; filtered by language."""

from pyramid.view import view_config

from content.root import PortalRoot
from portal.i18n import LANGUAGE_NAMES, LANGUAGES, _, translate
from portal.security import public
from portal.views.helpers import alphabetical
from workflows import permissions as P


def published_summaries(request, language=None):
    """``[(year, [(iso3, name, [(lang, endonym, url)])])]``, newest year first."""
    by_year = {}
    for cycle in request.root["cycles"].values():
        for review in (cycle["reviews"].values() if "reviews" in cycle else ()):
            report = review.get("report")
            group = report.get("summary") if report is not None else None
            if group is None:
                continue
            versions = [(v.language, LANGUAGE_NAMES[v.language], request.resource_url(v)) for v in group.in_order()
                        if public(v, P.VIEW) and (language is None or v.language == language)]
            if versions:
                by_year.setdefault(review.year, {})[review.state] = versions
    return [(year, [(iso3, name, by_year[year][iso3]) for iso3, name in alphabetical(request, by_year[year])])
            for year in sorted(by_year, reverse=True)]


@view_config(context=PortalRoot, name="summaries", renderer="portal:templates/summaries_index.pt", permission=P.VIEW)
def summaries_index(context, request):
    language = request.params.get("language")
    language = language if language in LANGUAGES else None
    return {"page_title": translate(request, _("Published executive summaries")),
            "years": published_summaries(request, language), "language": language,
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]}
