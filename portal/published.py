"""The published documents of the reviews, as the public reads them: each executive summary's published
language versions and each published part of a final report, asked of the same ACLs as their pages for
``Everyone`` (``portal.security.public``). The sitemap, the open data API and the summaries' index share it."""

from portal.security import public
from workflows import permissions as P


def _reviews(root):
    for cycle in sorted(root["cycles"].values(), key=lambda c: (c.first_year, c.__name__)):
        for review in (cycle["reviews"].values() if "reviews" in cycle else ()):
            report = review.get("report")
            if report is not None:
                yield cycle, review, report


def public_summaries(root):
    """``(cycle, review, group, [version])``: the summaries with at least one version the public may read."""
    for cycle, review, report in _reviews(root):
        group = report.get("summary")
        versions = [v for v in group.in_order() if public(v, P.VIEW)] if group is not None else []
        if versions:
            yield cycle, review, group, versions


def public_parts(root):
    """``(cycle, review, part)``: every published part of a final report the public may read."""
    for cycle, review, report in _reviews(root):
        parts = report.get("parts")
        for part in (parts.values() if parts is not None else ()):
            if public(part, P.VIEW):
                yield cycle, review, part
