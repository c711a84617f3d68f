"""Parts of a final report that the State under review may publish (ToR ¶36, R18, R19):
``.../report/parts/<key>``, one per section and per finding, each confidential until published.

A part is a copy of the final version's text (the final report never changes again); its workflow
(``workflows/definitions/report_part.py``) opens it to everyone when published and closes it again
when withdrawn. Each move is recorded in the part's history and in the audit log.
"""

from content.base import Resource
from content.folder import Folder
from language import _
from workflows import get_workflow


class Publishable:
    """Mixin for what a workflow makes public in its state ``published`` (a part of a report, a language
    version of a document): whether it is, and who published it when."""

    @property
    def published(self):
        return self.workflow_state == "published"

    def publication(self):
        """``(who, when)`` of the move that made it published, or None."""
        for entry in reversed(self.workflow_history or ()):
            if entry["transition"] == "publish":
                return entry["actor"], entry["when"]
        return None

    def publication_json(self):
        found = self.publication() if self.published else None
        return {"who": found[0], "when": found[1].isoformat()} if found else None


class ReportParts(Folder):
    """The publishable parts of a final report, in report order (sections, then findings)."""

    type_name = "ReportParts"
    type_title = _("Parts of the report")
    acl_inherit = True  # the report's ACL: the parties and the secretariat list the parts

    @property
    def title(self):
        return self.type_title

    def ordered(self):
        return sorted(self.values(), key=lambda part: part.order)


class ReportPart(Publishable, Resource):
    """A section (``key`` a section key) or a finding (``finding-<id>``) of the final report."""

    type_name = "ReportPart"
    holds_local_roles = True  # a grantee's (R20)
    type_title = _("Part of a report")

    def __init__(self, order, kind, key, text, version, article=None, finding_kind=None):
        self.order = order
        self.kind = kind  # "section" or "finding"
        self.key = key
        self.text = text
        self.version = version
        self.article = article
        self.finding_kind = finding_kind

    def json_fields(self, request):
        return {"kind": self.kind, "key": self.key, "text": self.text, "version": self.version,
                "article": self.article, "finding_kind": self.finding_kind, "published": self.publication_json(),
                "references": [{k: v for k, v in r.items() if k != "file"} for r in getattr(self, "references", ())]}


def make_parts(report, actor="system"):
    """Create the parts of ``report``'s current (final) version, once."""
    if "parts" in report:
        return report["parts"]
    parts = report.add("parts", ReportParts())
    version = report.current()
    order = 0
    for key in report.section_keys():
        text = version.texts.get(key, "") if version else ""
        if text:
            order += 1
            _add(parts, key, ReportPart(order, "section", key, text, version.number), actor)
    for finding in (version.findings if version else ()):
        order += 1
        part = ReportPart(order, "finding", finding["id"], finding["text"], version.number, finding["article"],
                          finding["kind"])
        part.references = tuple(finding.get("references", ()))  # the legislation and cases it cites (¶3(c))
        _add(parts, f"finding-{finding['id']}", part, actor)
    return parts


def _add(parts, name, part, actor):
    parts.add(name, part)
    get_workflow(part).initialize(part, actor)
