"""The translation round trip of a document in six languages (issue 22 §2): the secretariat exports a language
version as XLIFF 2.0 (or Word, ``@@docx``) for translators, and imports the translated XLIFF back into that
version, checked first and reported after."""

from urllib.parse import quote

from pyramid.response import Response
from pyramid.view import view_config

from content.translations import Translation
from portal.documents.xliff import ImportRejected, export_xliff, read_xliff
from portal.i18n import LANGUAGE_TITLES, _, translate
from portal.views import flash, redirect
from portal.views.threads import uploaded_files
from portal.views.translations import summary_title
from workflows import permissions as P


@view_config(context=Translation, name="xliff", permission=P.TRANSLATE, request_method=("GET", "HEAD"))
def export(context, request):
    response = Response(body=export_xliff(context), content_type="application/xliff+xml")
    name = f"{'-'.join(p for p in request.resource_url(context).split('/')[3:] if p)}.xlf"
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response.headers["Cache-Control"] = "private, no-store"
    request.environ["portal.no_page_cache"] = True
    return response


@view_config(context=Translation, name="import", renderer="portal:templates/translation_import.pt",
             permission=P.TRANSLATE)
def import_file(context, request):
    """A translated XLIFF file replaces this version's text, when every paragraph checks; else nothing changes
    and every problem is listed."""
    page = {"page_title": translate(request, _("Import a translated file: ${document} (${language})", mapping={
        "document": summary_title(request, context.__parent__), "language": LANGUAGE_TITLES[context.language]})),
        "problems": []}
    if request.method != "POST":
        return page
    files = uploaded_files(request, "file")
    if len(files) != 1:
        request.response.status_int = 400
        return {**page, "problems": [translate(request, _("Choose the translated XLIFF file."))]}
    try:
        text, units, changed = read_xliff(context, files[0][1])
    except ImportRejected as rejected:
        request.response.status_int = 400
        return {**page, "problems": [translate(request, p) for p in rejected.problems]}
    context.save(text, request.authenticated_userid, context.revision)
    flash(request, _("Paragraphs imported: ${units}; changed: ${changed}.", mapping={"units": units,
                                                                                    "changed": changed}))
    return redirect(request.resource_url(context))
