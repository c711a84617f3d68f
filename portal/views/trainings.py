"""Training courses for governmental experts (ToR ¶31, R26): the list, a new course (the secretariat),
registration of experts (focal points for their own State's experts, the secretariat for any) and the
attendance record. Registrations show only experts the reader may see on the expert list."""

import colander
import deform
from pyramid.view import view_config

from content.root import TrainingsFolder
from content.trainings import MAX_TEXT, AlreadyRegistered, Course
from portal.forms import CSRFSchema, button, form_page, language_select, localized_from, localized_node, make_form
from portal.i18n import LANGUAGE_NAMES, _, translate
from portal.views import flash, redirect
from portal.views.helpers import sort_key, state_name
from portal.notices import tell
from workflows import permissions as P


class CourseSchema(CSRFSchema):
    title = localized_node("title", _("Title"), max_length=300)
    start = colander.SchemaNode(colander.Date(), title=_("First day"), widget=deform.widget.DateInputWidget())
    end = colander.SchemaNode(colander.Date(), title=_("Last day"), widget=deform.widget.DateInputWidget())
    place = localized_node("place", _("Place"), max_length=300)
    language = colander.SchemaNode(colander.String(), title=_("Language"), validator=colander.OneOf(list(LANGUAGE_NAMES)),
                                   widget=language_select())
    materials = localized_node("materials", _("Materials"), textarea=True, rows=5, max_length=MAX_TEXT, required=False)

    def validator(self, node, value):
        if value["end"] < value["start"]:
            raise colander.Invalid(node["end"], _("The last day cannot be before the first day."))


@view_config(context=TrainingsFolder, renderer="portal:templates/trainings.pt", permission=P.VIEW)
def courses(context, request):
    return {"page_title": translate(request, context.title), "language_names": LANGUAGE_NAMES,
            "courses": sorted(context.values(), key=lambda c: (c.start, c.__name__), reverse=True),
            "can_add": request.has_permission(P.EDIT, context)}


@view_config(context=TrainingsFolder, name="add", renderer="portal:templates/form.pt", permission=P.EDIT)
def add(context, request):
    form = make_form(CourseSchema, request, buttons=[button("save", _("Save"))])

    def save(data):
        course = context.add(context.next_number(), Course(localized_from(data["title"]), data["start"], data["end"],
                                                           localized_from(data["place"]), data["language"],
                                                           localized_from(data.get("materials", {})),
                                                           request.authenticated_userid))
        tell(request, "course/added", course, mapping={"title": course.title})
        flash(request, _("The course is on the list."))
        return redirect(request.resource_url(course))

    return form_page(request, form, translate(request, _("New training course")), save)


def _registrants(request, course):
    """The registered experts the reader may see: ``[(expert, state name, registration, attended)]``."""
    experts = request.root["experts"]
    rows = []
    for name, registration in course.registrations.items():
        expert = experts.get(name)
        if expert is not None and request.has_permission(P.VIEW, expert):
            rows.append((expert, state_name(request, expert.state), registration, name in course.attended))
    key = sort_key(request)
    return sorted(rows, key=lambda r: (key(r[1]), key(r[0].name)))


def _candidates(request, course):
    """Experts the reader may put on the course: those it may edit on the list (its own State's, or all for
    the secretariat), active, not registered yet."""
    return sorted((e for e in request.root["experts"].values()
                   if e.active and e.__name__ not in course.registrations and request.has_permission(P.EDIT, e)),
                  key=lambda e: (e.state, sort_key(request)(e.name)))


def _page(context, request, error=None):
    return {"page_title": translate(request, context.title), "language_name": LANGUAGE_NAMES.get(context.language, context.language),
            "rows": _registrants(request, context), "candidates": _candidates(request, context), "error": error,
            "can_register": request.has_permission(P.REGISTER_TRAINEE, context),
            "can_record": request.has_permission(P.EDIT, context)}


@view_config(context=Course, renderer="portal:templates/course.pt", permission=P.VIEW)
def course_view(context, request):
    return _page(context, request)


@view_config(context=Course, name="register", request_method="POST", renderer="portal:templates/course.pt",
             permission=P.REGISTER_TRAINEE)
def register(context, request):
    name = request.POST.get("expert", "")
    expert = request.root["experts"].get(name)
    if expert is None or not request.has_permission(P.EDIT, expert) or not expert.active:
        request.response.status_int = 400
        return _page(context, request, translate(request, _("Choose one of your State's experts on the list.")))
    try:
        context.register(expert, request.authenticated_userid)
    except AlreadyRegistered:
        request.response.status_int = 400
        return _page(context, request, translate(request, _("${name} is registered for this course already.",
                                                            mapping={"name": expert.name})))
    tell(request, "course/registered", context, mapping={"title": context.title}, named=[expert.login])
    flash(request, _("${name} is registered for the course.", mapping={"name": expert.name}))
    return redirect(request.resource_url(context))


@view_config(context=Course, name="attendance", request_method="POST", permission=P.EDIT)
def attendance(context, request):
    count = context.record_attendance(request.POST.getall("attended"), request.authenticated_userid)
    flash(request, _("Attendance recorded: ${count} of ${total}.", mapping={"count": count,
                                                                          "total": len(context.registrations)}))
    return redirect(request.resource_url(context))
