"""``/@@good-practices`` (ToR ¶3(c), ¶7): the good practices that States chose to publish from their final reports,
grouped by instrument and article, filtered by them, and searchable through the portal's search."""

from urllib.parse import urlencode

from pyramid.view import view_config

from content.root import PortalRoot
from content.states import INSTRUMENT_SHORT, INSTRUMENTS
from portal.i18n import _, translate
from portal.published import public_parts
from portal.views.helpers import shown_references, sort_key, state_name
from workflows import permissions as P

GOOD_PRACTICE = "good-practice"


def good_practices(request, instrument=None, article=None):
    """``[(instrument, article, article title, [item])]`` in the instruments' and articles' order; within an
    article, States alphabetically in the reader's language (R22: never ranked)."""
    groups = {}
    for cycle, review, part in public_parts(request.root):
        if part.kind != "finding" or part.finding_kind != GOOD_PRACTICE:
            continue
        report = part.__parent__.__parent__
        found = next((a for a in report.articles() if a[0] == part.article), None)
        code, number, title = (found[1], found[2], found[3]) if found else ("", "", _("General"))
        if (instrument and code != instrument) or (article and number != article):
            continue
        groups.setdefault((code, number), [title, []])[1].append({
            "state": review.state, "state_name": state_name(request, review.state), "year": review.year,
            "cycle": cycle, "part": part, "language": review.language or "en",
            "references": shown_references(request, getattr(part, "references", ()), report)})
    order = {code: k for k, code in enumerate(INSTRUMENTS)}
    key = sort_key(request)
    return [(code, number, title, sorted(items, key=lambda i: key(i["state_name"])))
            for (code, number), (title, items) in sorted(groups.items(), key=lambda g: (
                order.get(g[0][0], len(order)), len(g[0][1]), g[0][1]))]


@view_config(context=PortalRoot, name="good-practices", renderer="portal:templates/good_practices.pt",
             permission=P.VIEW)
def good_practices_view(context, request):
    instrument = request.params.get("instrument")
    instrument = instrument if instrument in INSTRUMENTS else None
    article = (request.params.get("article") or "").strip()[:20] or None
    search = {"kind": GOOD_PRACTICE, **({"instrument": instrument} if instrument else {}),
              **({"article": article} if article else {})}
    return {"page_title": translate(request, _("Good practices")),
            "groups": good_practices(request, instrument, article), "instrument": instrument, "article": article,
            "instruments": [(code, INSTRUMENT_SHORT[code]) for code in INSTRUMENTS],
            "search_url": request.application_url + "/@@search?" + urlencode(search)}
