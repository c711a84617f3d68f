"""The country review report and executive summary (ToR ¶25, ¶32, ¶33, R16) at ``.../reviews/<ISO3>/report``.

Drafted section by section after the blueprint (introduction, process, executive summary, implementation
per article); findings are structured items tagged with an article and a kind. Every save makes a new
version (a full snapshot), so versions can be compared and restored and nothing is lost; a save based on
an old version that would overwrite someone else's change to the same section or finding is refused.
Each party's focal point agrees to one version; any new version clears the agreements; when every party
has agreed to the current version the review can become final, and the report is then read-only.
"""

import difflib

from BTrees.IOBTree import IOBTree
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.attachments import Attachment, UploadRejected
from content.events import modified
from content.references import check_count, make_reference
from content.folder import Folder
from content.base import decision, now
from content.review_parts import Comments, ReviewPart
from language import _
from language.multilingual import LocalizedText
from workflows import permissions as P

BLUEPRINT = {
    "introduction": _("Introduction"),
    "process": _("Process"),
    "summary": _("Executive summary"),
}
KINDS = {
    "success": _("Success"),
    "good-practice": _("Good practice"),
    "challenge": _("Challenge"),
    "observation": _("Observation"),
    "ta-need": _("Technical assistance need"),
}
GENERAL = "general"
MAX_SECTION = 100_000
MAX_FINDING = 5_000


class ReportConflict(Exception):
    """Someone else changed the same section or finding since the editor's version was read."""

    def __init__(self, current):
        super().__init__("conflict")
        self.current = current  # the current Version


class StaleAgreement(Exception):
    """An agreement given to a version that is no longer the current one."""


class ReportLocked(Exception):
    """The report is final: nothing changes any more."""


class Version(Persistent):
    """One saved state of the whole report: section texts and findings, who saved it, when and why."""

    def __init__(self, number, actor, texts, findings, note, restored_from=None):
        self.number = number
        self.who = actor
        self.when = now()
        self.texts = dict(texts)
        self.findings = tuple(dict(f) for f in findings)
        self.note = note
        self.restored_from = restored_from

    def finding(self, fid):
        return next((f for f in self.findings if f["id"] == fid), None)


class ReportFiles(Folder):
    """The files cited in the report's findings (``report/files/<n>``); they inherit the report's ACL."""

    type_name = "ReportFiles"
    type_title = _("Attachments")


class Report(ReviewPart, Folder):
    """The versioned report of one review, with its comments and the parties' agreements; once final,
    it holds the parts its State may publish (``parts``, ``content/publication.py``)."""

    type_name = "Report"
    holds_local_roles = True  # a grantee's (R20)
    type_title = _("Country review report")
    part_roles = "report"

    def __init__(self):
        super().__init__()
        self.versions = IOBTree()
        self.agreements = PersistentMapping()  # ISO3 -> {"version", "who", "when"}
        self.agreement_log = PersistentList()
        self.comments = Comments()
        self.finding_counter = 0

    # -- reading --------------------------------------------------------------------------

    def articles(self):
        """``[(key, instrument, article, title)]``: one implementation section per checklist section; the
        title in every language the checklist definition gives."""
        checklist = self.review.get("checklist") if self.review is not None else None
        if checklist is None:
            return []
        return [(s.key, s.instrument, s.article, LocalizedText(s.title, "en", **s.titles))
                for s in checklist.article_sections()]

    def section_keys(self):
        return list(BLUEPRINT) + [a[0] for a in self.articles()]

    def current(self):
        """The current version, or None before the first save."""
        return self.versions[self.versions.maxKey()] if len(self.versions) else None

    def current_number(self):
        return self.versions.maxKey() if len(self.versions) else 0

    def version(self, number):
        """Version ``number``; None for 0 (the empty report before the first save)."""
        return self.versions.get(int(number)) if int(number) else None

    def text(self, key, number=None):
        version = self.current() if number is None else self.version(number)
        return version.texts.get(key, "") if version is not None else ""

    def findings(self, number=None):
        version = self.current() if number is None else self.version(number)
        return list(version.findings) if version is not None else []

    @property
    def locked(self):
        return getattr(self.review, "workflow_state", None) == "final"

    # -- changing -------------------------------------------------------------------------

    def _new_version(self, actor, texts, findings, note, restored_from=None):
        if self.locked:
            raise ReportLocked()
        number = self.current_number() + 1
        self.versions[number] = version = Version(number, actor, texts, findings, note, restored_from)
        if self.agreements:  # R16: any edit after an agreement clears the agreements
            self.agreement_log.append(decision(actor, change="cleared", version=number,
                                               states=sorted(self.agreements)))
            self.agreements.clear()
            modified(self, "agreements-cleared")
        modified(self, "version")
        return version

    def _check_base(self, base, unchanged):
        """Raise ``ReportConflict`` when the editor read version ``base`` and ``unchanged(base_version,
        current)`` says the part being edited has changed since."""
        base = int(base)
        current = self.current_number()
        if base > current or base < 0:
            raise ReportConflict(self.current())
        if base != current and not unchanged(base):
            raise ReportConflict(self.current())

    def save_section(self, key, text, actor, base):
        """Save section ``key``; returns the new version, or None when the text did not change."""
        if key not in self.section_keys():
            raise KeyError(key)
        text = (text or "").replace("\r\n", "\n").strip()
        self._check_base(base, lambda b: self.text(key, b) == self.text(key))
        if text == self.text(key):
            return None
        current = self.current()
        texts = dict(current.texts) if current else {}
        texts[key] = text
        return self._new_version(actor, texts, self.findings(), {"section": key})

    def save_finding(self, fid, article, kind, text, actor, base):
        """Add a finding (``fid`` None) or change finding ``fid``; returns the new version."""
        if kind not in KINDS or article not in [GENERAL] + [a[0] for a in self.articles()]:
            raise ValueError("unknown kind or article")
        if fid is not None:
            self._check_base(base, lambda b: (self.version(b).finding(fid) if self.version(b) else None)
                             == (self.current().finding(fid) if self.current() else None))
            if self.current() is None or self.current().finding(fid) is None:
                raise KeyError(fid)
        findings = self.findings()
        if fid is None:
            self.finding_counter += 1
            fid = f"f{self.finding_counter}"
            findings.append({"id": fid, "article": article, "kind": kind, "text": text.strip()})
        else:
            findings = [{**f, "article": article, "kind": kind, "text": text.strip()} if f["id"] == fid else f
                        for f in findings]  # its citations stay
        current = self.current()
        return self._new_version(actor, current.texts if current else {}, findings, {"finding": fid})

    def _cited(self, fid, base):
        """The current finding ``fid``, after checking that nobody changed it since version ``base``."""
        current = self.current()
        if current is None or current.finding(fid) is None:
            raise KeyError(fid)
        if self.locked:
            raise ReportLocked()
        self._check_base(base, lambda b: (self.version(b).finding(fid) if self.version(b) else None)
                         == current.finding(fid))
        return current

    def _with_references(self, current, fid, references, actor, note):
        findings = [{**f, "references": tuple(references)} if f["id"] == fid else f for f in current.findings]
        return self._new_version(actor, current.texts, findings, note)

    def cite(self, fid, fields, files, actor, base):
        """Cite legislation or a case in finding ``fid`` (``content/references.py``), with at most one file kept
        in ``report/files``; a new version, like any edit (R16). Everything is checked before anything is kept."""
        current = self._cited(fid, base)
        references = list(current.finding(fid).get("references", ()))
        check_count(references)
        reference = make_reference(**fields)
        if files:
            if len(files) > 1:
                raise UploadRejected(_("Attach one file to a citation."))
            attachment = Attachment(files[0][0], files[0][1], actor)
            if "files" not in self:
                self.add("files", ReportFiles())
            self.file_counter = getattr(self, "file_counter", 0) + 1
            reference["file"] = str(self.file_counter)
            self["files"].add(reference["file"], attachment)
        return self._with_references(current, fid, references + [reference], actor, {"cited": fid})

    def uncite(self, fid, index, actor, base):
        """Take citation ``index`` (from 0) off finding ``fid``: a new version; older versions keep it and its file."""
        current = self._cited(fid, base)
        references = list(current.finding(fid).get("references", ()))
        if not 0 <= index < len(references):
            raise KeyError(index)
        del references[index]
        return self._with_references(current, fid, references, actor, {"uncited": fid})

    def remove_finding(self, fid, actor, base):
        current = self.current()
        if current is None or current.finding(fid) is None:
            raise KeyError(fid)
        self._check_base(base, lambda b: (self.version(b).finding(fid) if self.version(b) else None)
                         == current.finding(fid))
        return self._new_version(actor, current.texts, [f for f in current.findings if f["id"] != fid],
                                 {"removed": fid})

    def restore(self, number, actor, base):
        """Make version ``number`` the current one again, as a new version (nothing is lost)."""
        old = self.version(number)
        if old is None:
            raise KeyError(number)
        self._check_base(base, lambda b: False)
        return self._new_version(actor, old.texts, old.findings, {"restored": old.number}, restored_from=old.number)

    # -- agreement (R16) --------------------------------------------------------------------

    def agree(self, iso3, number, actor):
        """``iso3`` agrees to version ``number``, which must be the current one."""
        if self.locked:
            raise ReportLocked()
        if int(number) != self.current_number() or not int(number):
            raise StaleAgreement()
        self.agreements[iso3] = PersistentMapping({"version": int(number), "who": actor, "when": now()})
        self.agreement_log.append(decision(actor, change="agreed", state=iso3, version=int(number)))
        modified(self, "agreements")

    def withdraw_agreement(self, iso3, actor):
        if self.locked:
            raise ReportLocked()
        if self.agreements.pop(iso3, None) is not None:
            self.agreement_log.append(decision(actor, change="withdrawn", state=iso3))
            modified(self, "agreements")

    def agreed(self, iso3):
        """Whether ``iso3`` agreed to the current version."""
        a = self.agreements.get(iso3)
        return a is not None and a["version"] == self.current_number() and self.current_number() > 0

    def missing_agreements(self):
        """Parties of the review that have not agreed to the current version."""
        return [s for s in self.review.parties() if not self.agreed(s)]

    # -- comparing --------------------------------------------------------------------------

    def diff(self, a, b):
        """What changed from version ``a`` to ``b``: ``(sections, findings)`` where sections is
        ``[(key, [(op, line)])]`` with op ``+``, ``-`` or `` ``, and findings ``[(op, finding)]``."""
        sections = []
        for key in self.section_keys():
            old, new = self.text(key, a), self.text(key, b)
            if old != new:
                lines = [(line[0], line[2:]) for line in difflib.ndiff(old.splitlines(), new.splitlines())
                         if line[:1] in "+- "]
                sections.append((key, lines))
        before = {f["id"]: f for f in self.findings(a)}
        after = {f["id"]: f for f in self.findings(b)}
        findings = [("-", before[k]) for k in before if k not in after]
        findings += [("+", after[k]) for k in after if k not in before]
        findings += [("~", after[k]) for k in after if k in before and before[k] != after[k]]
        return sections, findings

    def json_fields(self, request):
        current = self.current()
        fields = {"version": self.current_number(),
                  "sections": dict(current.texts) if current else {},
                  "findings": self.findings()}
        if request.has_permission(P.VIEW_DRAFTS, self):  # the parties' agreements, as the page shows them
            fields["agreements"] = {s: a["version"] for s, a in self.agreements.items()}
        return fields
