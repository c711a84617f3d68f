"""Files attached to dialogue and assistance messages (¶23), kept as ZODB blobs: a size limit and a
type check (the name's extension and the file's first bytes must agree) before anything is stored."""

import re
import zipfile
from io import BytesIO

from ZODB.blob import Blob

from content.base import Resource, without_bidi_controls
from content.base import now
from content.file_text import file_text
from language import _

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension -> (content type, first bytes the file must start with; None: text)
TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    "odt": ("application/vnd.oasis.opendocument.text", (_ZIP,)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (_ZIP,)),
    "doc": ("application/msword", (_OLE,)),
    "xls": ("application/vnd.ms-excel", (_OLE,)),
    "txt": ("text/plain; charset=utf-8", None),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


class UploadRejected(ValueError):
    """The file cannot be attached; ``message`` (a translation string) says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def clean_filename(name):
    """The file's own name without any path, with control and path characters replaced and bidirectional
    controls removed."""
    name = re.split(r"[\\/]", without_bidi_controls(name or ""))[-1].strip()
    name = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "_", name)
    return name[:150] or "file"


def check_upload(filename, data):
    """The content type of an acceptable upload; ``UploadRejected`` for an empty, oversized or
    wrong-type file (an extension we do not take, or content that does not match the extension)."""
    name = clean_filename(filename)
    mapping = {"name": name}
    if not data:
        raise UploadRejected(_("The file “${name}” is empty.", mapping=mapping))
    if len(data) > MAX_BYTES:
        raise UploadRejected(_("The file “${name}” is larger than ${max} MB.",
                               mapping={**mapping, "max": MAX_BYTES // (1024 * 1024)}))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in TYPES:
        raise UploadRejected(_("Files of the type of “${name}” cannot be attached. Accepted: ${types}.",
                               mapping={**mapping, "types": tuple(sorted(TYPES))}))
    content_type, magic = TYPES[extension]
    if magic is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is None or "\x00" in text:
            raise UploadRejected(_("The file “${name}” is not the kind of file its name says.", mapping=mapping))
    elif not data.startswith(magic) or (magic == (_ZIP,) and not _is_zip(data)):
        raise UploadRejected(_("The file “${name}” is not the kind of file its name says.", mapping=mapping))
    return content_type


def _is_zip(data):
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return bool(archive.namelist())
    except zipfile.BadZipFile:
        return False


class Attachment(Resource):
    """One attached file: its name, type, size, who attached it and when; the bytes in a blob."""

    type_name = "Attachment"
    type_title = _("Attachment")
    text = ""  # the file's text for search (content/file_text.py), read once when attached

    def __init__(self, filename, data, actor):
        self.content_type = check_upload(filename, data)
        self.filename = clean_filename(filename)
        self.size = len(data)
        self.who = actor
        self.when = now()
        self.blob = Blob()
        with self.blob.open("w") as f:
            f.write(data)
        self.text = file_text(self.filename, data)

    @property
    def title(self):
        return self.filename

    def read(self):
        with self.blob.open("r") as f:
            return f.read()

    def json_fields(self, request):
        return {"filename": self.filename, "content_type": self.content_type, "size": self.size}
