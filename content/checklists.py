"""Self-assessment checklists (ToR ¶15, R13): definitions as data files, and one review's answers.

A definition (``content/data/checklists/<name>.toml``) has one section per article of each
instrument in scope, each with questions. A review's checklist shows only the sections of the
instruments its state is party to; answers are saved per section as drafts, with a version number
per section so that concurrent edits are detected instead of overwritten.
"""

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.attachments import MAX_FILES, Attachment, UploadRejected
from content.events import modified
from content.base import Resource
from content.folder import Folder
from content.references import check_count, make_reference
from content.follow_up import answer_parts as follow_up_parts, clean_answer as clean_follow_up, is_follow_up
from content.follow_up import question_id as follow_up_question
from content.review_parts import Comments, ReviewPart
from content.base import now
from draws.model import INSTRUMENTS
from language import LANGUAGES, _, _n

DEFINITIONS_DIR = Path(__file__).resolve().parent / "data" / "checklists"
ANSWERS = {"yes": _("Yes"), "yes-in-part": _("Yes, in part"), "no": _("No")}
# The free-text parts of each answer, in the order shown.
DETAILS = {
    "legislation": _("Legislation cited"),
    "cases": _("Cases or examples"),
    "challenges": _("Challenges"),
    "assistance": _("Technical assistance needed"),
}
MAX_TEXT = 10_000


def answer_parts(answer):
    """``[(title, value, is_choice)]`` of a stored answer in the order shown: the choice (its translatable title),
    then the texts written; a follow-up answer (¶41) has its own parts."""
    if is_follow_up(answer):
        return follow_up_parts(answer)
    parts = [(_("Answer", context="noun"), ANSWERS[answer["answer"]], True)] if answer.get("answer") in ANSWERS else []
    return parts + [(title, answer[name], False) for name, title in DETAILS.items() if answer.get(name)]


class ChecklistConflict(Exception):
    """A section was saved by someone else since the form was opened."""

    def __init__(self, saved):
        super().__init__("conflict")
        self.saved = saved  # the section's current saved record: who, when, version


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    texts: dict = field(default_factory=dict, compare=False)
    language: str = field(default="", compare=False)  # a quoted finding's language (follow-up questions)
    kind: str = field(default="", compare=False)  # follow-up questions: the finding's kind (observation, ta-need)

    def text_in(self, lang):
        """The question in ``lang`` when the definition has it, else in English."""
        return self.texts.get(lang) or self.text


@dataclass(frozen=True)
class Section:
    instrument: str
    article: str
    title: str
    questions: tuple
    titles: dict = field(default_factory=dict, compare=False)

    def title_in(self, lang):
        """The article's title in ``lang`` when the definition has it, else in English."""
        return self.titles.get(lang) or self.title

    @property
    def key(self):
        return f"{self.instrument.lower()}-{self.article}"


FOLLOW_UP = "follow-up"
FOLLOW_UP_KINDS = ("observation", "ta-need")


@dataclass(frozen=True)
class FollowUpSection(Section):
    """From the second cycle on (¶41): one question per observation and technical assistance need of
    the State's previous report, asking how far it has been addressed and what assistance was received."""

    @property
    def key(self):
        return FOLLOW_UP


def earlier_reviews(cycle, iso3):
    """The reviews of ``iso3`` in cycles that began before ``cycle``, the latest first."""
    earlier = sorted((c for c in cycle.__parent__.values()
                      if c is not cycle and c.first_year < cycle.first_year and "reviews" in c),
                     key=lambda c: c.first_year, reverse=True)
    return [c["reviews"][iso3] for c in earlier if iso3 in c["reviews"]]


def follow_up_items(cycle, iso3):
    """The observations and technical assistance needs of the last final report on ``iso3`` in a cycle
    that began before ``cycle``: ``[{"id", "kind", "article", "text", "cycle"}]``, empty if none (¶41)."""
    for review in earlier_reviews(cycle, iso3):
        if review.workflow_state == "final":
            return [{**f, "cycle": review.__parent__.__parent__.__name__, "language": review.language or "en"}
                    for f in review["report"].findings()
                    if f["kind"] in FOLLOW_UP_KINDS]
    return []


def previous_checklist(checklist):
    """The same State's checklist in the latest earlier cycle where it answered anything, or None: its answers
    are offered to copy and update (ToR ¶3(c), ¶41)."""
    review = checklist.__parent__
    for earlier in earlier_reviews(review.__parent__.__parent__, review.state):
        previous = earlier.get("checklist")
        if previous is not None and len(previous.answers):
            return previous
    return None


@dataclass(frozen=True)
class Definition:
    name: str
    title: str
    sections: tuple
    titles: dict = field(default_factory=dict, compare=False)

    def sections_for(self, instruments):
        """The sections of the instruments in ``instruments``, in the instruments' order, then by article."""
        order = {code: k for k, code in enumerate(INSTRUMENTS)}
        return tuple(sorted((s for s in self.sections if s.instrument in instruments),
                            key=lambda s: (order[s.instrument], self.sections.index(s))))


@lru_cache(maxsize=None)
def load_definition(name):
    """The definition ``name``; ``ValueError`` saying what is wrong with a bad file."""
    path = DEFINITIONS_DIR / f"{name}.toml"
    if not path.is_file() or "/" in name or name.startswith("."):
        raise ValueError(f"no checklist definition {name!r} in {DEFINITIONS_DIR}")
    return parse_definition(name, path.read_text(encoding="utf-8"))


def parse_definition(name, text):
    data = tomllib.loads(text)
    seen_ids, seen_sections, sections = set(), set(), []
    for k, s in enumerate(data.get("sections", ()), start=1):
        if s.get("instrument") not in INSTRUMENTS:
            raise ValueError(f"section {k}: unknown instrument {s.get('instrument')!r}; use {', '.join(INSTRUMENTS)}")
        if not s.get("article") or not s.get("title") or not s.get("questions"):
            raise ValueError(f"section {k}: article, title and at least one question are needed")
        questions = []
        for q in s["questions"]:
            if not q.get("id") or not q.get("text"):
                raise ValueError(f"section {k}: every question needs an id and a text")
            if q["id"] in seen_ids:
                raise ValueError(f"question id {q['id']!r} is used twice")
            seen_ids.add(q["id"])
            questions.append(Question(q["id"], q["text"], _in_languages(q, "text")))
        section = Section(s["instrument"], str(s["article"]), s["title"], tuple(questions), _in_languages(s, "title"))
        if section.key in seen_sections:
            raise ValueError(f"section {section.key} is defined twice")
        seen_sections.add(section.key)
        sections.append(section)
    if not sections:
        raise ValueError("a checklist definition needs at least one section")
    return Definition(name, data.get("title", name), tuple(sections), _in_languages(data, "title"))


def _in_languages(table, key):
    """``{lang: text}`` of a definition's ``key_xx`` entries (``text_fr``, ``title_ar``...)."""
    return {name[len(key) + 1:]: value for name, value in table.items()
            if name.startswith(key + "_") and name[len(key) + 1:] in LANGUAGES and value}


def available_definitions():
    return sorted(p.stem for p in DEFINITIONS_DIR.glob("*.toml"))


class ChecklistFiles(Folder):
    """The files attached to a checklist's answers and to its new information (``checklist/files/<name>``); they
    inherit the checklist's ACL, so whoever may read the answers may read them, and nobody else."""

    type_name = "ChecklistFiles"
    type_title = _("Attachments")


class Checklist(ReviewPart, Resource):
    """A review's checklist response at ``/cycles/<id>/reviews/<ISO3>/checklist``. Its ACL follows
    the review's stage (``CHECKLIST_ROLES`` in the country review workflow) and the review's local roles."""

    type_name = "Checklist"
    type_title = _("Self-assessment checklist")
    part_roles = "checklist"

    def __init__(self, definition, instruments):
        self.definition_name = definition
        self.instruments = tuple(i for i in INSTRUMENTS if i in instruments)
        self.answers = PersistentMapping()  # question id -> {"answer", "legislation", ...}
        self.saved = PersistentMapping()  # section key -> {"version", "who", "when"}
        self.comments = Comments()  # question id -> reviewers' and the secretariat's comments (R14)

    def definition(self):
        return load_definition(self.definition_name)

    def article_sections(self):
        """The sections of the definition for the state's instruments (one per article)."""
        return self.definition().sections_for(self.instruments)

    def sections(self):
        """The article sections, then the follow-up of the previous review when there is one (¶41)."""
        items = getattr(self, "follow_up", None)
        if not items:
            return self.article_sections()
        questions = tuple(Question(follow_up_question(item["cycle"], item["id"]), item["text"],
                                   language=item.get("language", ""), kind=item.get("kind", "")) for item in items)
        return self.article_sections() + (FollowUpSection("", "", "follow-up", questions),)

    def section(self, key):
        return next((s for s in self.sections() if s.key == key), None)

    def version(self, key):
        return self.saved.get(key, {}).get("version", 0)

    def answered(self, question):
        """Whether ``question`` has its answer: a choice of yes, in part or no; for a follow-up question (¶41),
        the progress made."""
        answer = self.answers.get(question.id) or {}
        return bool(answer.get("answer") or answer.get("progress"))

    def progress(self, section):
        """``(answered, total)`` questions of ``section``."""
        return sum(1 for q in section.questions if self.answered(q)), len(section.questions)

    def unanswered(self):
        return [q for s in self.sections() for q in s.questions if not self.answered(q)]

    def save_section(self, key, answers, actor, version):
        """Store ``answers`` (``{question id: {answer, legislation, ...}}``) of section ``key`` as a draft.

        Raises ``ChecklistConflict`` when the section was saved since ``version`` was read.
        """
        section = self.section(key)
        if section is None:
            raise KeyError(key)
        if int(version) != self.version(key):
            raise ChecklistConflict(dict(self.saved[key]))
        for q in section.questions:
            given = answers.get(q.id) or {}
            if key == FOLLOW_UP:
                self.answers[q.id] = PersistentMapping(clean_follow_up(given))
                continue
            self.answers[q.id] = PersistentMapping(
                {"answer": given.get("answer") or "", **{d: (given.get(d) or "").strip() for d in DETAILS}})
        self.saved[key] = PersistentMapping({"version": self.version(key) + 1, "who": actor, "when": now()})
        modified(self, key)

    # -- attachments and new information (issue 21 §6, ToR ¶13) ---------------------------------

    def __getitem__(self, name):
        if name in ("files", "consultation"):  # its files; the national consultation (¶27, content/consultation.py)
            child = getattr(self, name, None)
            if child is not None:
                return child
        raise KeyError(name)

    def subresources(self):
        """What the search index walks below the checklist: its files and its national consultation."""
        return [c for c in (getattr(self, "files", None), getattr(self, "consultation", None)) if c is not None]

    def _store(self, files, actor, already=0):
        """Store ``files`` (``[(filename, bytes)]``), all checked before any is kept; their names."""
        if already + len(files) > MAX_FILES:
            raise UploadRejected(_n("At most ${count} file per answer.", "At most ${count} files per answer.",
                                    MAX_FILES))
        attachments = [Attachment(filename, data, actor) for filename, data in files]
        if getattr(self, "files", None) is None:
            self.files = ChecklistFiles()
            self.files.__parent__, self.files.__name__ = self, "files"
        names = []
        for attachment in attachments:
            self.file_counter = getattr(self, "file_counter", 0) + 1  # a removed file's name is never reused
            name = str(self.file_counter)
            self.files.add(name, attachment)
            names.append(name)
        return names

    def attachments(self, question_id):
        """The files attached to the answer to ``question_id``, in the order attached."""
        names = (getattr(self, "attached", None) or {}).get(question_id, ())
        return [self.files[n] for n in names if n in self.files]

    def attach(self, question_id, files, actor):
        """Attach ``files`` to the answer to ``question_id`` (the dialogue's rules: type, size, number);
        ``UploadRejected`` keeps nothing."""
        if getattr(self, "attached", None) is None:
            self.attached = PersistentMapping()
        names = self._store(files, actor, len(self.attached.get(question_id, ())))
        self.attached[question_id] = tuple(self.attached.get(question_id, ())) + tuple(names)
        modified(self, "attachments")
        return names

    def detach(self, question_id, name):
        """Take file ``name`` off the answer to ``question_id`` while the answers can be changed."""
        attached = getattr(self, "attached", None) or {}
        if name not in attached.get(question_id, ()):
            raise KeyError(name)
        self.attached[question_id] = tuple(n for n in attached[question_id] if n != name)
        self.files.remove(name)
        modified(self, "attachments")

    def add_information(self, question_id, actor, state, text, files):
        """ToR ¶13: the State under review gives new information on an answer of its submitted checklist;
        kept as written, with its files, for the reviewing States."""
        text = (text or "").strip()
        if not text and not files:
            raise ValueError("empty")
        names = self._store(files, actor)
        if getattr(self, "new_information", None) is None:
            self.new_information = PersistentList()
        entry = PersistentMapping({"question": question_id, "who": actor, "state": state, "text": text[:MAX_TEXT],
                                   "attachments": tuple(names), "when": now()})
        self.new_information.append(entry)
        modified(self, "new-information")
        return entry

    def references(self, question_id):
        """The legislation and cases cited in the answer to ``question_id`` (``content/references.py``)."""
        return list((getattr(self, "citations", None) or {}).get(question_id, ()))

    def cite(self, question_id, fields, files, actor):
        """Cite legislation or a case in the answer to ``question_id``, with at most one file; everything is
        checked before anything is kept (``ReferenceProblem``, ``UploadRejected``)."""
        check_count(self.references(question_id))
        reference = make_reference(**fields)
        if files:
            if len(files) > 1:
                raise UploadRejected(_("Attach one file to a citation."))
            reference["file"] = self._store(files, actor)[0]
        if getattr(self, "citations", None) is None:
            self.citations = PersistentMapping()
        self.citations[question_id] = tuple(self.references(question_id)) + (reference,)
        modified(self, "references")
        return reference

    def uncite(self, question_id, index):
        """Take citation number ``index`` (from 0) off the answer to ``question_id``, and its file."""
        references = self.references(question_id)
        if not 0 <= index < len(references):
            raise KeyError(index)
        removed = references.pop(index)
        if removed["file"] and removed["file"] in self.files:
            self.files.remove(removed["file"])
        self.citations[question_id] = tuple(references)
        modified(self, "references")

    def information(self, question_id):
        return [e for e in (getattr(self, "new_information", None) or ()) if e["question"] == question_id]

    def json_fields(self, request):
        return {
            "definition": self.definition_name,
            "instruments": list(self.instruments),
            "sections": [{"key": s.key, "instrument": s.instrument, "article": s.article,
                          "answered": self.progress(s)[0], "questions": len(s.questions)} for s in self.sections()],
            "answers": {qid: dict(a) for qid, a in self.answers.items()},
            "attachments": {qid: [a.filename for a in self.attachments(qid)] for qid in (getattr(self, "attached", None) or {})},
            "references": {qid: [dict(r) for r in refs] for qid, refs in (getattr(self, "citations", None) or {}).items()},
            "new_information": [{"question": e["question"], "state": e["state"], "text": e["text"],
                                 "when": e["when"].isoformat()} for e in (getattr(self, "new_information", None) or ())],
        }
