"""The thematic compilation of a cycle (ToR ¶34, R23): the structured findings of its final country review
reports counted by theme (article) and kind per regional group, and the findings their States published,
which alone may be quoted. Confidential text never leaves this module: only counts and published parts do."""

from dataclasses import dataclass, field

from content.report import GENERAL, KINDS
from content.states import INSTRUMENTS, REGIONAL_GROUPS
from language import _

OTHER_GROUP = ""  # States outside the five regional groups


@dataclass
class Quote:
    """A published finding: the part's text (never the report's), its State and regional group."""

    state: str
    group: str
    text: str
    path: tuple  # the part's traversal path, to link to it
    language: str = "en"  # the review's working language, which the finding is written in


@dataclass
class KindRow:
    kind: str
    counts: dict = field(default_factory=dict)  # regional group -> number of findings
    quotes: list = field(default_factory=list)

    @property
    def total(self):
        return sum(self.counts.values())


@dataclass
class Theme:
    key: str  # a checklist section key ("untoc-5") or "general"
    instrument: str
    article: str
    title: str
    rows: dict = field(default_factory=dict)  # kind -> KindRow, in KINDS order when read through ``kinds()``

    def kinds(self):
        return [self.rows[k] for k in KINDS if k in self.rows]


@dataclass
class Compilation:
    cycle: object
    reports: int = 0  # final reports compiled
    groups: dict = field(default_factory=dict)  # regional group -> number of final reports from it
    themes: dict = field(default_factory=dict)  # key -> Theme

    def ordered_themes(self):
        """Themes in the order of the instruments, then of the articles (the general findings last)."""
        def order(theme):
            if theme.key == GENERAL:
                return (len(INSTRUMENTS), 0, "")
            number = "".join(ch for ch in theme.article if ch.isdigit())
            return (INSTRUMENTS.index(theme.instrument) if theme.instrument in INSTRUMENTS else len(INSTRUMENTS),
                    int(number or 0), theme.article)
        return sorted(self.themes.values(), key=order)

    def ordered_groups(self):
        """The regional groups with final reports, in the fixed order of ``REGIONAL_GROUPS`` (never by count)."""
        known = [g for g in REGIONAL_GROUPS if g in self.groups]
        return known + ([OTHER_GROUP] if OTHER_GROUP in self.groups else [])

    def for_group(self, group):
        """The same compilation restricted to the reports of the States of ``group`` (a regional addendum)."""
        part = Compilation(self.cycle, groups={group: self.groups.get(group, 0)}, reports=self.groups.get(group, 0))
        for theme in self.themes.values():
            rows = {}
            for kind, row in theme.rows.items():
                if row.counts.get(group):
                    rows[kind] = KindRow(kind, {group: row.counts[group]}, [q for q in row.quotes if q.group == group])
            if rows:
                part.themes[theme.key] = Theme(theme.key, theme.instrument, theme.article, theme.title, rows)
        return part


def group_title(group):
    return REGIONAL_GROUPS.get(group, _("States outside the regional groups"))


def compile_cycle(cycle, states):
    """The compilation of ``cycle``'s final reports; ``states`` is the states folder (for regional groups)."""
    from pyramid.traversal import resource_path_tuple

    result = Compilation(cycle)
    for review in cycle.final_reviews():
        state = states.get(review.state)
        group = (state.regional_group if state is not None else "") or OTHER_GROUP
        report = review["report"]
        result.reports += 1
        result.groups[group] = result.groups.get(group, 0) + 1
        titles = {key: (instrument, article, title) for key, instrument, article, title in report.articles()}
        parts = report.get("parts")
        for finding in report.findings():
            key = finding["article"]
            instrument, article, title = titles.get(key, ("", "", _("General findings")))
            theme = result.themes.setdefault(key, Theme(key, instrument, article, title))
            row = theme.rows.setdefault(finding["kind"], KindRow(finding["kind"]))
            row.counts[group] = row.counts.get(group, 0) + 1
            part = parts.get(f"finding-{finding['id']}") if parts is not None else None
            if part is not None and part.published:
                row.quotes.append(Quote(review.state, group, part.text, resource_path_tuple(part),
                                             review.language or "en"))
    for theme in result.themes.values():
        for row in theme.rows.values():
            row.quotes.sort(key=lambda q: q.state)  # by code, never by any measure (R22)
    return result
