"""Totals of voluntary contributions (ToR ¶42-¶45, ¶52): pledged, received, spent and unspent per currency and
purpose, for the secretariat's report, the cost of a review, and a cycle's totals in the assessment's annex."""

from decimal import Decimal

from content.funding import FIGURES, PURPOSES, cycles_of, plain


def _zero():
    return {figure: Decimal(0) for figure in FIGURES}


def totals(folder, records, expenditures):
    """``{"currencies": {currency: figures}, "purposes": {purpose: {currency: figures}}}`` where figures are
    pledged, received, spent and balance (what of the contributions counted is not spent), as Decimals."""
    currencies, purposes = {}, {}

    def add(currency, purpose, figure, amount):
        currencies.setdefault(currency, _zero())[figure] += amount
        purposes.setdefault(purpose, {}).setdefault(currency, _zero())[figure] += amount

    for record in records:
        if record.kind == "pledge":
            add(record.currency, record.purpose, "pledged", record.amount)
        else:
            add(record.currency, record.purpose, "received", record.amount)
            add(record.currency, record.purpose, "balance", folder.balance(record))
    for expenditure in expenditures:
        add(expenditure.currency, expenditure.purpose, "spent", expenditure.amount)
    return {"currencies": currencies, "purposes": purposes}


def select(root, folder, cycle=None, donor=None):
    """``(records, expenditures)`` a report counts. For a cycle: the records earmarked to it, to one of its
    reviews or to a course held in its years, and the expenditures charged to those contributions or paying for
    one of its reviews or courses. For a donor (``donor_key``): its records and the expenditures charged to them."""
    records = folder.records()
    if cycle is not None:
        records = [r for r in records if cycle in cycles_of(root, r.earmark)]
    if donor is not None:
        records = [r for r in records if r.donor_key() == donor]
    counted = {r.__name__ for r in records if r.kind == "contribution"}
    expenditures = [e for e in folder.expenditures() if e.contribution in counted or
                    (cycle is not None and donor is None and cycle in cycles_of(root, e.paid_for))]
    return records, expenditures


def review_costs(folder, expenditures=None):
    """``{review key: {currency: Decimal}}``: the cost of each review, the expenditures paying for it."""
    costs = {}
    for e in expenditures if expenditures is not None else folder.expenditures():
        if e.paid_for.startswith("review:"):
            per = costs.setdefault(e.paid_for, {})
            per[e.currency] = per.get(e.currency, Decimal(0)) + e.amount
    return costs


def cycle_funding(root, cycle):
    """Funding totals of ``cycle`` for the Conference's assessment (¶42-¶45): per currency and per purpose,
    pledged, received and spent (see ``select``), as plain text amounts. Never per donor (R22)."""
    folder = root.get("funding")
    if folder is None:
        return {"currencies": [], "purposes": []}
    records, expenditures = select(root, folder, cycle=cycle.__name__)
    found = totals(folder, records, expenditures)
    keep = ("pledged", "received", "spent")
    return {"currencies": [{"currency": c, **{k: plain(v[k], c) for k in keep}}
                           for c, v in sorted(found["currencies"].items())],
            "purposes": [{"purpose": p, "currency": c, **{k: plain(v[k], c) for k in keep}}
                         for p in PURPOSES for c, v in sorted(found["purposes"].get(p, {}).items())]}
