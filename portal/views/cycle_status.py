"""The cycle's status at a glance (issue 22 §4): how many reviews are in each stage, per year and per
regional group, as a table and as a chart drawn on the server (SVG with its text alternative, mirrored for
right-to-left languages). Counts only: no State is named or ranked (R22)."""

from collections import Counter
from html import escape


from content.states import REGIONAL_GROUPS
from portal.i18n import _, translate
from workflows import get_workflow
from workflows.definitions.country_review import ALL_STAGES, COUNTRY_REVIEW

# One colour per stage (Okabe and Ito's palette, told apart by people with colour-blindness); the table
# beside the chart carries the same numbers.
COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
WIDTH, ROW, LABEL = 720, 28, 270


def stage_titles(request):
    return [(stage, translate(request, COUNTRY_REVIEW.states[stage].title)) for stage in ALL_STAGES]


def counts(request, cycle):
    """``{"years": [(year, Counter)], "groups": [(title, Counter)]}``: the cycle's reviews by stage, per year of
    review and per regional group of the State under review (groups in their fixed order)."""
    reviews = cycle.get("reviews")
    by_year, by_group = {}, {}
    states = request.root["states"]
    for review in (reviews.values() if reviews is not None else ()):
        stage = get_workflow(review).state_of(review).name
        by_year.setdefault(review.year, Counter())[stage] += 1
        state = states.get(review.state)
        by_group.setdefault(getattr(state, "regional_group", "") or "", Counter())[stage] += 1
    groups = [(translate(request, REGIONAL_GROUPS.get(key, _("Not in a regional group"))), by_group[key])
              for key in list(REGIONAL_GROUPS) + [""] if key in by_group]
    return {"years": sorted(by_year.items()), "groups": groups}


def chart(request, name, rows, title, rtl):
    """An SVG bar per row (``[(label, Counter)]``), one segment per stage, with a legend; ``title`` and a
    description that says every number are its text alternative; ``name`` makes their ids unique on the page."""
    stages = stage_titles(request)
    largest = max((sum(c.values()) for _label, c in rows), default=0) or 1
    scale = (WIDTH - LABEL - 20) / largest
    height = ROW * len(rows) + 30 + 22 * ((len(stages) + 2) // 3)
    described = "; ".join(f"{label}: " + ", ".join(f"{name} {c[stage]}" for stage, name in stages if c[stage])
                          for label, c in rows)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="chart-title-{name} chart-desc-{name}" '
           'direction="ltr" class="chart">',  # anchors below are left-to-right; the mirroring is in ``x``
           f'<title id="chart-title-{name}">{escape(title)}</title>',
           f'<desc id="chart-desc-{name}">{escape(described)}</desc>']

    def x(start, width=0):  # mirrored for right-to-left: bars grow from the right, labels on the right
        return WIDTH - start - width if rtl else start

    for k, (label, c) in enumerate(rows):
        y = 10 + k * ROW
        anchor = "end" if not rtl else "start"  # left-to-right anchors: the label ends (or starts) at the bars
        out.append(f'<text x="{x(LABEL - 8)}" y="{y + 15}" text-anchor="{anchor}" font-size="12">{escape(str(label))}</text>')
        start = LABEL
        for (stage, name), colour in zip(stages, COLOURS):
            if not c[stage]:
                continue
            width = c[stage] * scale
            out.append(f'<rect x="{x(start, width):.1f}" y="{y}" width="{width:.1f}" height="20" fill="{colour}">'
                       f'<title>{escape(f"{label}, {name}: {c[stage]}")}</title></rect>')
            if width >= 18:
                out.append(f'<text x="{x(start + width / 2):.1f}" y="{y + 14}" text-anchor="middle" font-size="11">'
                           f'{c[stage]}</text>')
            start += width
    legend_y = 20 + ROW * len(rows)
    for k, ((stage, name), colour) in enumerate(zip(stages, COLOURS)):
        column, line = k % 3, k // 3
        left = 24 + column * (WIDTH // 3)
        out.append(f'<rect x="{x(left, 12)}" y="{legend_y + line * 22}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x(left + 18)}" y="{legend_y + line * 22 + 11}" font-size="11" '
                   f'text-anchor="{"end" if rtl else "start"}">{escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)  # inserted as markup (``structure``): every text in it is escaped above


def status_at_a_glance(request, cycle, rtl):
    """What the cycle page's "status at a glance" shows; None before any review exists."""
    data = counts(request, cycle)
    if not data["years"]:
        return None
    return {"stages": stage_titles(request), "years": data["years"], "groups": data["groups"],
            "year_chart": chart(request, "years", data["years"], translate(request, _("Reviews by stage and year of review")), rtl),
            "group_chart": chart(request, "groups", data["groups"], translate(request, _("Reviews by stage and regional group")), rtl)}
