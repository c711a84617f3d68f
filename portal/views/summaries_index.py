"""The index of published executive summaries (issue 22 §4): by year of review, each State (alphabetically in
the reader's language, R22) with the languages its summary is published in; filtered by language."""

from pyramid.view import view_config

from content.root import PortalRoot
from portal.i18n import LANGUAGE_NAMES, LANGUAGES, _, translate
from portal.published import public_summaries
from portal.views.helpers import alphabetical
from workflows import permissions as P


def published_summaries(request, language=None):
    """``[(year, [(iso3, name, [(lang, endonym, url)])])]``, newest year first."""
    by_year = {}
    for _cycle, review, _group, versions in public_summaries(request.root):
        shown = [(v.language, LANGUAGE_NAMES[v.language], request.resource_url(v)) for v in versions
                 if language is None or v.language == language]
        if shown:
            by_year.setdefault(review.year, {})[review.state] = shown
    return [(year, [(iso3, name, by_year[year][iso3]) for iso3, name in alphabetical(request, by_year[year])])
            for year in sorted(by_year, reverse=True)]


@view_config(context=PortalRoot, name="summaries", renderer="portal:templates/summaries_index.pt", permission=P.VIEW)
def summaries_index(context, request):
    language = request.params.get("language")
    language = language if language in LANGUAGES else None
    return {"page_title": translate(request, _("Published executive summaries")),
            "years": published_summaries(request, language), "language": language,
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]}
