"""A user's own profile (``/users/<login>/@@profile``): the language of the portal's pages and mails, the e-mail
address (a change needs the current password and is announced to the previous address) and how new work is
announced. Only the account's owner holds ``edit-profile`` (``workflows/definitions/user_account.py``)."""

import colander
import deform
from pyramid.view import view_config

from content.users import MAX_PASSWORD_LENGTH, NOTIFICATIONS, User
from portal.forms import CSRFSchema, button, form_page, language_select, make_form
from portal.i18n import LANGUAGES, _, localizer, remember_language_choice, translate, translate_with
from portal.notifications import send_email_changed
from portal.views import redirect
from workflows import permissions as P


class ProfileSchema(CSRFSchema):
    language = colander.SchemaNode(
        colander.String(), title=_("Language"),
        description=_("The language of the portal's pages when you are signed in (the language links still choose "
                      "another one for a browser) and of the mails the portal sends you."),
        widget=language_select(),
        validator=colander.OneOf(LANGUAGES),
    )
    email = colander.SchemaNode(
        colander.String(), title=_("E-mail address"),
        validator=colander.All(colander.Email(), colander.Length(max=254)),
    )
    notifications = colander.SchemaNode(
        colander.String(), title=_("Notifications"),
        widget=deform.widget.RadioChoiceWidget(values=list(NOTIFICATIONS.items())),
        validator=colander.OneOf(list(NOTIFICATIONS)),
    )
    current = colander.SchemaNode(
        colander.String(), title=_("Current password"), missing="",
        description=_("Needed only to change the e-mail address."),
        widget=deform.widget.PasswordWidget(), validator=colander.Length(max=MAX_PASSWORD_LENGTH),
    )

    def validator(self, node, value):
        """A new e-mail address needs the current password: the address receives the links that choose a new
        password, so a session left open must not be enough to take the account over."""
        user = node.bindings["user"]
        if value["email"] == user.email:
            return
        if not value["current"]:
            raise colander.Invalid(node["current"], _("Give your current password to change the e-mail address."))
        if not user.check_password(value["current"]):
            raise colander.Invalid(node["current"], _("The current password is wrong."))


@view_config(context=User, name="profile", renderer="portal:templates/form.pt", permission=P.EDIT_PROFILE)
def profile(context, request):
    form = make_form(ProfileSchema, request, buttons=[button("save", _("Save"))], user=context)

    def save(data):
        old_email = context.email
        changed = context.update_profile(request.authenticated_userid, language=data["language"],
                                         email=data["email"], notifications=data["notifications"])
        if "email" in changed:
            send_email_changed(request, context, old_email)
        # Said in the language just chosen, as the next page will be.
        message = _("Your profile has been saved.") if changed else _("Nothing changed.")
        request.session.flash(translate_with(localizer(data["language"], request.registry), message))
        response = redirect(request.resource_url(context, "@@profile"))
        remember_language_choice(response, data["language"])  # the switcher's cookie: visible at once
        return response

    appstruct = {"language": context.language, "email": context.email, "notifications": context.notifications}
    return form_page(request, form, translate(request, _("My profile")), save, appstruct=appstruct,
                     intro=translate(request, _("Your language, your e-mail address, and how the portal tells you of "
                                                "new work.")))
