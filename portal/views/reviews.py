"""Country reviews: the review's page and ``@@json`` (who takes part, working language, stage), the
state under review's choice of working language (R25), and the secretariat's list per cycle."""

import colander
import deform
from pyramid.view import view_config

from content.reviews import CountryReview, ReviewsFolder
from portal.forms import CSRFSchema, button, form_page, make_form
from portal.i18n import LANGUAGE_NAMES, LANGUAGES, _, translate
from portal.views import flash, redirect
from portal.views.cycles import alphabetical, reviewer_lines, state_name
from portal.views.workflow import workflow_info
from workflows import permissions as P


def _assignments(review):
    return [{"under_review": review.state, "instrument": i, "reviewers": list(p)} for i, p in review.reviewers.items()]


@view_config(context=CountryReview, renderer="portal:templates/review.pt", permission=P.VIEW)
def review_view(context, request):
    cycle = context.__parent__.__parent__
    name = state_name(request, context.state)
    return {
        "page_title": translate(request, _("Review of ${state}", mapping={"state": name})),
        "cycle": cycle,
        "state_name": name,
        "language_name": LANGUAGE_NAMES.get(context.language),
        "reviewers": reviewer_lines(request, _assignments(context)).get(context.state, []),
        "can_choose_language": request.has_permission(P.CHOOSE_REVIEW_LANGUAGE, context),
        "checklist": _checklist_progress(context, request),
        "workflow": workflow_info(context, request),
        "history": list(reversed(context.workflow_history or [])),
    }


def _checklist_progress(review, request):
    """``(checklist, answered, total)`` for those who may follow the checklist, else None."""
    checklist = review.get("checklist")
    if checklist is None or not request.has_permission(P.VIEW_PROGRESS, checklist):
        return None
    counts = [checklist.progress(s) for s in checklist.sections()]
    return checklist, sum(a for a, _t in counts), sum(t for _a, t in counts)


class LanguageSchema(CSRFSchema):
    language = colander.SchemaNode(
        colander.String(), title=_("Working language of the review"),
        widget=deform.widget.SelectWidget(values=[("", "—")] + [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]),
        validator=colander.OneOf(LANGUAGES),
        description=_("The review is conducted in one of the six working languages, chosen by the State under "
                      "review (ToR ¶47-¶49)."))


@view_config(context=CountryReview, name="language", renderer="portal:templates/form.pt",
             permission=P.CHOOSE_REVIEW_LANGUAGE)
def choose_language(context, request):
    form = make_form(LanguageSchema, request, buttons=[button("save", _("Save"))])
    page_title = translate(request, _("Working language of the review of ${state}",
                                      mapping={"state": state_name(request, context.state)}))

    def save(data):
        context.language = data["language"]
        flash(request, _("The working language of the review is recorded."))
        return redirect(request.resource_url(context))

    return form_page(request, form, page_title, save,
                     appstruct={"language": context.language} if context.language else None)


@view_config(context=ReviewsFolder, renderer="portal:templates/reviews.pt", permission=P.VIEW)
def reviews_list(context, request):
    """Every review of the cycle, by year and then alphabetically (R22: never ranked)."""
    reviews = {r.state: r for r in context.values()}
    rows = []
    for year in sorted({r.year for r in reviews.values()}):
        codes = [s for s, r in reviews.items() if r.year == year]
        rows.append({"year": year, "reviews": [(reviews[c], name) for c, name in alphabetical(request, codes)]})
    return {"page_title": translate(request, _("Country reviews")), "cycle": context.__parent__, "rows": rows,
            "language_names": LANGUAGE_NAMES}
