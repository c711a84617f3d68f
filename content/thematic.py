"""Thematic implementation reports (ToR ¶34, ¶40, ¶50, R23) at ``/group/thematic/<n>``: drafted by the
secretariat from a cycle's compilation (``content/compilation.py``) as one report and one regional
supplementary addendum per regional group, each a document in six languages (``content/translations.py``).

A draft quotes only findings their States published and the secretariat's own sentences; counts are per
theme, kind and regional group, never per State (R22). The secretariat then edits, translates and publishes.
"""

from content.compilation import OTHER_GROUP, compile_cycle, group_title
from content.base import now
from content.folder import Folder
from content.report import KINDS
from content.states import INSTRUMENT_SHORT
from content.translations import make_group
from language import _, _n, format_number, translate_with
from workflows import permissions as P
from workflows import roles as R

REPORT = "report"
ADDENDUM_PREFIX = "addendum-"


class NothingToCompile(Exception):
    """No country review report of the cycle is final yet."""


class ThematicReport(Folder):
    """One cycle's thematic report and its regional addenda. Public once one of its documents is published
    in a language; before that only the secretariat (and the administrator) see it."""

    type_name = "ThematicReport"
    type_title = _("Thematic implementation report")
    acl_inherit = False

    def __init__(self, cycle_name, cycle_title, language, reports, actor):
        super().__init__()
        self.cycle_name, self.cycle_title = cycle_name, cycle_title
        self.language = language
        self.reports = reports  # how many final reports were compiled
        self.created = (actor, now())

    @property
    def title(self):
        return self.type_title

    # Closed as a whole: each document opens to the public itself once a language of it is published
    # (``TranslationGroup.role_permissions``), so a draft addendum never inherits a public view from here.
    role_permissions = {R.SECRETARIAT: {P.VIEW, P.EDIT}, R.ADMINISTRATOR: {P.VIEW}}

    def confidential_in(self, text, shortest=20):
        """The texts of the cycle's final reports that their States do not publish (and nobody publishes word for
        word elsewhere) and that ``text`` quotes: a draft is a snapshot, so this is checked again at publication."""
        from pyramid.traversal import find_root

        cycle = find_root(self)["cycles"].get(self.cycle_name)
        public, secret = set(), set()
        for review in (cycle.final_reviews() if cycle is not None else ()):
            for part in review["report"]["parts"].values():
                (public if part.published else secret).add((part.text or "").strip())
        return sorted(t for t in secret - public if len(t) >= shortest and t in text)

    def documents(self):
        """The report, then the addenda in the fixed order of the regional groups (never by any count)."""
        addenda = sorted((doc for name, doc in self.items() if name.startswith(ADDENDUM_PREFIX)),
                         key=lambda doc: doc.group_order)
        return ([self[REPORT]] if REPORT in self else []) + addenda


def _theme_heading(theme):
    if not theme.instrument:
        return theme.title
    return _("${instrument}, article ${article}: ${title}", mapping={
        "instrument": INSTRUMENT_SHORT.get(theme.instrument, theme.instrument), "article": theme.article,
        "title": theme.title})


def draft_text(compilation, localizer, states, group=None):
    """The secretariat's draft of the report (``group`` None) or of the addendum of ``group``, in the
    localizer's language: the secretariat's sentences with counts, and the published findings quoted."""
    lang = localizer.locale_name

    def t(message):
        return translate_with(localizer, message)

    cycle = compilation.cycle.title
    if group is None:
        heading = _("Thematic implementation report: ${cycle}", mapping={"cycle": cycle})
    else:
        heading = _("Regional supplementary addendum, ${group}: ${cycle}", mapping={
            "group": group_title(group), "cycle": cycle})
    lines = [t(heading), "",
             t(_n("Prepared by the secretariat from ${count} final country review report of this cycle (ToR ¶34).",
                  "Prepared by the secretariat from ${count} final country review reports of this cycle (ToR ¶34).",
                  compilation.reports)),
             t(_("The figures count findings, not States, and do not rank States (ToR ¶3 (b)). Only findings that "
                 "their States have published are quoted."))]
    groups = compilation.ordered_groups()
    for theme in compilation.ordered_themes():
        lines += ["", t(_theme_heading(theme))]
        for row in theme.kinds():
            per_group = []
            for g in groups:
                if row.counts.get(g):
                    share = _("${group}: ${count}", mapping={"group": group_title(g),
                                                            "count": format_number(row.counts[g], lang)})
                    per_group.append(t(share))
            kind = KINDS[row.kind]
            line = _n("${kind}: ${count} finding (${groups})", "${kind}: ${count} findings (${groups})", row.total,
                      mapping={"kind": kind, "groups": tuple(per_group)})
            lines.append("- " + t(line))
            for quote in row.quotes:
                state = states.get(quote.state)
                name = state.name(lang) if state is not None else quote.state
                lines.append("  " + t(_("Published by ${state}: “${text}”", mapping={"state": name, "text": quote.text})))
    if not compilation.themes:
        lines += ["", t(_("No findings were recorded."))]
    return "\n".join(lines)


def create_thematic_report(folder, cycle, states, localizer, actor):
    """Compile ``cycle`` and add its thematic report with one addendum per regional group to ``folder``,
    drafted in the localizer's language; ``NothingToCompile`` when no report of the cycle is final."""
    compilation = compile_cycle(cycle, states)
    if not compilation.reports:
        raise NothingToCompile(cycle.__name__)
    lang = localizer.locale_name
    item = folder.add(folder.next_number(), ThematicReport(cycle.__name__, cycle.title, lang,
                                                           compilation.reports, actor))
    make_group(item, REPORT, lang, draft_text(compilation, localizer, states), actor,
               title=_("Thematic implementation report: ${cycle}", mapping={"cycle": cycle.title}), agreed=False)
    for order, group in enumerate(compilation.ordered_groups()):
        name = ADDENDUM_PREFIX + (group.lower().replace(" ", "-") or "other")
        doc = make_group(item, name, lang, draft_text(compilation.for_group(group), localizer, states, group), actor,
                         title=_("Regional supplementary addendum, ${group}: ${cycle}", mapping={
                             "group": group_title(group), "cycle": cycle.title}), agreed=False)
        doc.group_order = order
        doc.regional_group = group or OTHER_GROUP
    return item
