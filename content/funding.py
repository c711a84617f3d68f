"""Voluntary contributions (ToR ¶49, ¶51-¶55) at ``/funding``: pledges and contributions of donors, the expenditures
charged to contributions, and their totals, always per currency (amounts in different currencies are never added)."""

from decimal import Decimal, InvalidOperation

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.base import Resource, now
from content.events import modified
from content.folder import Folder
from language import _
from workflows import permissions as P
from workflows import roles as R

# ISO 4217 codes the secretariat records, with the decimals of their minor unit.
CURRENCIES = {"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "CHF": 2, "NOK": 2, "SEK": 2, "DKK": 2, "CAD": 2, "AUD": 2,
              "CNY": 2, "RUB": 2}
KINDS = {"pledge": _("Pledge"), "contribution": _("Contribution")}
PURPOSES = {
    "country-visits": _("Country visits and joint meetings (¶52)"),
    "training": _("Training of experts (¶52)"),
    "translation": _("Translation and interpretation beyond the six languages (¶49)"),
    "signatories": _("Participation of signatories (¶55)"),
    "general": _("General"),
}
MAX_AMOUNT = Decimal("1000000000000")
MAX_TEXT = 2000
MAX_NAME = 300
FIGURES = ("pledged", "received", "spent", "balance")


class FundingError(ValueError):
    """Input refused: ``field`` names the form field, ``message`` is a translation string."""

    def __init__(self, field, message):
        super().__init__(str(message))
        self.field, self.message = field, message


def parse_amount(value, currency):
    """``value`` as a Decimal amount in ``currency``: more than zero, with at most the currency's decimals."""
    try:
        amount = Decimal(str(value).strip().replace(" ", "")) if value is not None else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise FundingError("amount", _("Give the amount as a number, such as 25000.50."))
    if amount <= 0:
        raise FundingError("amount", _("The amount must be more than zero."))
    if amount >= MAX_AMOUNT:
        raise FundingError("amount", _("The amount is too large."))
    places = CURRENCIES.get(currency, 2)
    if amount.as_tuple().exponent < -places and amount != amount.quantize(Decimal(1).scaleb(-places)):
        if places == 0:
            raise FundingError("amount", _("An amount in ${currency} has no decimals.", mapping={"currency": currency}))
        raise FundingError("amount", _("An amount in ${currency} has at most ${places} decimals.",
                                       mapping={"currency": currency, "places": places}))
    return amount.quantize(Decimal(1).scaleb(-places))


def plain(amount, currency=None):
    """An amount as the text kept in records, annexes and exports (``"25000.50"``), with the decimals of
    ``currency`` when given."""
    if currency is not None:
        amount = amount.quantize(Decimal(1).scaleb(-CURRENCIES.get(currency, 2)))
    return str(amount)


# -- earmarks: a cycle, a country review of a cycle, a training course ------------------------------------------

def target(root, key):
    """The resource an earmark or "paid for" ``key`` names (``cycle:NAME``, ``review:CYCLE/ISO3``, ``course:N``),
    or None when it names nothing (or is empty)."""
    kind, _sep, rest = (key or "").partition(":")
    if kind == "cycle":
        return root["cycles"].get(rest)
    if kind == "review":
        cycle_name, _s, iso3 = rest.partition("/")
        cycle = root["cycles"].get(cycle_name)
        reviews = cycle.get("reviews") if cycle is not None else None
        return reviews.get(iso3) if reviews is not None and iso3 else None
    if kind == "course":
        return root["trainings"].get(rest) if "trainings" in root else None
    return None


def cycles_of(root, key):
    """The names of the cycles an earmark counts for: a cycle itself, the cycle of a review, and the cycles
    whose years include the first day of a course (a course belongs to no cycle otherwise)."""
    kind, _sep, rest = (key or "").partition(":")
    if kind == "cycle":
        return {rest}
    if kind == "review":
        return {rest.partition("/")[0]}
    course = target(root, key) if kind == "course" else None
    if course is None:
        return set()
    return {c.__name__ for c in root["cycles"].values() if c.first_year <= course.start.year <= c.last_year}


def check_key(root, key, kinds, field):
    """``key`` (or "" for none) when it names an existing resource of one of ``kinds``; else a FundingError."""
    key = (key or "").strip()
    if not key:
        return ""
    if key.partition(":")[0] not in kinds or target(root, key) is None:
        raise FundingError(field, _("Choose one of the list: this cycle, country review or course does not exist."))
    return key


# -- the area, its records and expenditures ----------------------------------------------------------------------

class FundingFolder(Folder):
    """``/funding``: the secretariat's record of voluntary contributions. Only the secretariat reads the list and the
    amounts; the focal point of a donor State (``DonorState`` here) opens only the list of its own records."""

    type_name = "Funding"
    type_title = _("Voluntary contributions")
    acl_inherit = False
    holds_local_roles = True
    role_permissions = {R.SECRETARIAT: {P.VIEW, P.MANAGE_FUNDING, P.VIEW_OWN_FUNDING},
                        R.DONOR_STATE: {P.VIEW_OWN_FUNDING}}

    @property
    def title(self):
        return self.type_title

    def records(self, kind=None):
        """Pledges and contributions (of ``kind``), in number order."""
        found = [r for r in self.values() if isinstance(r, FundingRecord) and kind in (None, r.kind)]
        return sorted(found, key=lambda r: int(r.__name__))

    def expenditures(self):
        return sorted((e for e in self.values() if isinstance(e, Expenditure)), key=lambda e: int(e.__name__))

    def contribution(self, name):
        """The contribution ``name``, or None."""
        record = self.get(name or "")
        return record if isinstance(record, FundingRecord) and record.kind == "contribution" else None

    def pledge(self, name):
        record = self.get(name or "")
        return record if isinstance(record, FundingRecord) and record.kind == "pledge" else None

    def charged_to(self, contribution):
        """The expenditures charged to ``contribution``."""
        return [self[n] for n in contribution.charges if n in self]

    def spent(self, contribution, leaving_out=None):
        return sum((e.amount for e in self.charged_to(contribution) if e is not leaving_out), Decimal(0))

    def balance(self, contribution, leaving_out=None):
        """What of ``contribution`` is not spent yet (``leaving_out``: an expenditure being edited)."""
        return contribution.amount - self.spent(contribution, leaving_out)

    def sync_donors(self):
        """Give the focal points of the States with a record here the role that opens their own list, and take it
        from those without one any more."""
        wanted = {donor_principal(r.donor_state) for r in self.records() if r.donor_state}
        held = {p for p, roles in self.local_roles().items() if R.DONOR_STATE in roles}
        for principal in held - wanted:
            self.revoke_local_role(principal, R.DONOR_STATE)
        for principal in wanted - held:
            self.grant_local_role(principal, R.DONOR_STATE)


def donor_principal(iso3):
    """Who of a donor State reads its funding records: its focal point (not its experts)."""
    return f"state:{iso3}:focal-point"


def _set_donor(resource, iso3):
    for principal, roles in resource.local_roles().items():
        if R.DONOR in roles and principal != (donor_principal(iso3) if iso3 else None):
            resource.revoke_local_role(principal, R.DONOR)
    if iso3 and R.DONOR not in resource.local_roles().get(donor_principal(iso3), ()):
        resource.grant_local_role(donor_principal(iso3), R.DONOR)


class _Entry(Resource):
    """What a record and an expenditure share: access (the secretariat; the donor State's focal point reads),
    who recorded it and when, and the history of its changes."""

    acl_inherit = False
    holds_local_roles = True
    role_permissions = {R.SECRETARIAT: {P.VIEW, P.MANAGE_FUNDING}, R.DONOR: {P.VIEW}}
    fields = ()

    def field_values(self):
        """The recorded fields as plain values (amounts as text): history, JSON and forms use them."""
        return {f: (plain(getattr(self, f)) if f == "amount" else getattr(self, f)) for f in self.fields}

    def revision(self):
        return len(self.history)

    @property
    def written_in(self):
        """The language its free texts (note, description, another donor's name) were written in."""
        return getattr(self, "language", None) or "en"

    def change(self, actor, **values):
        """Set ``values``; the change (old and new value of each field that differs) goes to the history.
        Returns the names of the fields changed."""
        before = self.field_values()
        for name, value in values.items():
            setattr(self, name, value)
        after = self.field_values()
        changed = {f: (_shown(before[f]), _shown(after[f])) for f in self.fields if before[f] != after[f]}
        if changed:
            self.history.append(PersistentMapping(who=actor, when=now(), changes=changed))
            modified(self, "funding")
        return sorted(changed)


def _shown(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


class FundingRecord(_Entry):
    """A pledge or a contribution (``kind``) of a donor: a State of the registry (``donor_state``, ISO3) or another
    donor by name; amount and currency, date, purpose, earmark (``""`` or a key of ``target``), for a contribution
    the pledge it fulfils; ``charges``: the names of the expenditures charged to it."""

    type_name = "FundingRecord"
    type_title = _("Funding record")
    fields = ("donor_state", "donor_name", "amount", "currency", "date", "purpose", "earmark", "pledge", "note")

    def __init__(self, kind, donor_state, donor_name, amount, currency, day, purpose, earmark, pledge, note, actor):
        self.kind = kind
        self.donor_state, self.donor_name = donor_state or None, donor_name or ""
        self.amount, self.currency, self.date = amount, currency, day
        self.purpose, self.earmark, self.pledge, self.note = purpose, earmark or "", pledge or None, note or ""
        self.charges = ()
        self.created = (actor, now())
        self.history = PersistentList()

    @property
    def title(self):
        return _("${kind} ${number}", mapping={"kind": KINDS[self.kind], "number": self.__name__})

    def donor_key(self):
        return donor_key(self.donor_state, self.donor_name)

    def json_fields(self, request):
        folder = self.__parent__
        data = {"kind": self.kind, **{f: _shown(v) for f, v in self.field_values().items()},
                "recorded_by": self.created[0], "recorded": self.created[1].isoformat(),
                "history": [{"who": h["who"], "when": h["when"].isoformat(), "changes": dict(h["changes"])}
                            for h in self.history]}
        if self.kind == "contribution":
            data["spent"] = plain(folder.spent(self))
            data["balance"] = plain(folder.balance(self))
            data["expenditures"] = [request.resource_url(e) for e in folder.charged_to(self)
                                    if request.has_permission(P.VIEW, e)]
        return data


def donor_key(iso3, name):
    """One donor's key in reports: its ISO3, or ``other:`` and its name."""
    return iso3 if iso3 else f"other:{name}"


class Expenditure(_Entry):
    """An expenditure charged to one contribution (``contribution``: its name), in its currency: date, purpose, what
    it paid for (``paid_for``: a review or course key, and/or ``paid_for_text``) and a description."""

    type_name = "Expenditure"
    type_title = _("Expenditure")
    fields = ("contribution", "amount", "currency", "date", "purpose", "paid_for", "paid_for_text", "description")

    def __init__(self, contribution, amount, currency, day, purpose, paid_for, paid_for_text, description, actor):
        self.contribution, self.amount, self.currency, self.date = contribution, amount, currency, day
        self.purpose, self.paid_for, self.paid_for_text = purpose, paid_for or "", paid_for_text or ""
        self.description = description or ""
        self.created = (actor, now())
        self.history = PersistentList()

    @property
    def title(self):
        return _("Expenditure ${number}", mapping={"number": self.__name__})

    def json_fields(self, request):
        return {**{f: _shown(v) for f, v in self.field_values().items()},
                "recorded_by": self.created[0], "recorded": self.created[1].isoformat(),
                "history": [{"who": h["who"], "when": h["when"].isoformat(), "changes": dict(h["changes"])}
                            for h in self.history]}


# -- checks and changes (the views call these; every rule is here) ----------------------------------------------

def check_record(root, folder, kind, data, current=None):
    """The values of a pledge or contribution from ``data`` (form values), checked; a FundingError otherwise.
    ``current``: the record being edited."""
    if kind not in KINDS:
        raise FundingError("kind", _("Choose a pledge or a contribution."))
    iso3 = (data.get("donor_state") or "").strip()
    name = (data.get("donor_name") or "").strip()
    if iso3 and iso3 not in root["states"]:
        raise FundingError("donor_state", _("Choose a State of the list."))
    if bool(iso3) == bool(name):
        raise FundingError("donor_name", _("Give the donor: a State of the list, or the name of another donor "
                                            "(an organization, a foundation), not both."))
    if len(name) > MAX_NAME:
        raise FundingError("donor_name", _("The name may have at most 300 characters."))
    currency = data.get("currency")
    if currency not in CURRENCIES:
        raise FundingError("currency", _("Choose a currency of the list."))
    amount = parse_amount(data.get("amount"), currency)
    if data.get("purpose") not in PURPOSES:
        raise FundingError("purpose", _("Choose a purpose of the list."))
    earmark = check_key(root, data.get("earmark"), ("cycle", "review", "course"), "earmark")
    pledge_name = (data.get("pledge") or "").strip() if kind == "contribution" else ""
    if pledge_name:
        pledge = folder.pledge(pledge_name)
        if pledge is None:
            raise FundingError("pledge", _("Choose a pledge of the list."))
        if pledge.donor_key() != donor_key(iso3, name) or pledge.currency != currency:
            raise FundingError("pledge", _("A contribution fulfils a pledge of the same donor in the same currency."))
    if current is not None and current.kind == "contribution":
        spent = folder.spent(current)
        if current.charges and currency != current.currency:
            raise FundingError("currency", _("Expenditures are charged to this contribution: its currency can no "
                                             "longer change."))
        if amount < spent:
            raise FundingError("amount", _("Expenditures of ${spent} ${currency} are charged to this contribution: "
                                           "its amount cannot be less.", mapping={"spent": plain(spent),
                                                                                  "currency": currency}))
    if current is not None and current.kind == "pledge":
        fulfilled = [r for r in folder.records("contribution") if r.pledge == current.__name__]
        if fulfilled and (donor_key(iso3, name) != current.donor_key() or currency != current.currency):
            raise FundingError("currency", _("Contributions fulfil this pledge: its donor and currency can no "
                                             "longer change."))
    note = (data.get("note") or "").strip()
    if len(note) > MAX_TEXT:
        raise FundingError("note", _("The note may have at most 2,000 characters."))
    return {"donor_state": iso3 or None, "donor_name": "" if iso3 else name, "amount": amount, "currency": currency,
            "date": data.get("date"), "purpose": data["purpose"], "earmark": earmark, "pledge": pledge_name or None,
            "note": note}


def add_record(root, folder, kind, data, actor, language="en"):
    """Record a pledge or contribution from form ``data`` (checked here; its texts written in ``language``)."""
    values = check_record(root, folder, kind, data)
    record = folder.add(folder.next_number(), FundingRecord(
        kind, values["donor_state"], values["donor_name"], values["amount"], values["currency"], values["date"],
        values["purpose"], values["earmark"], values["pledge"], values["note"], actor))
    record.language = language
    _set_donor(record, record.donor_state)
    folder.sync_donors()
    return record


def edit_record(root, record, data, actor):
    """Change a record from form ``data`` (checked here; its kind stays); the donor's access follows the donor."""
    folder = record.__parent__
    values = check_record(root, folder, record.kind, data, current=record)
    changed = record.change(actor, **values)
    _set_donor(record, record.donor_state)
    for expenditure in folder.charged_to(record):
        _set_donor(expenditure, record.donor_state)
    folder.sync_donors()
    return changed


def check_expenditure(root, folder, data, current=None):
    """The values of an expenditure from ``data``, checked: charged to a contribution, in its currency, within
    its unspent balance; a FundingError otherwise."""
    contribution = folder.contribution((data.get("contribution") or "").strip())
    if contribution is None:
        raise FundingError("contribution", _("Choose a contribution of the list: an expenditure is charged to a "
                                             "contribution received, not to a pledge."))
    currency = data.get("currency")
    if currency not in CURRENCIES:
        raise FundingError("currency", _("Choose a currency of the list."))
    if currency != contribution.currency:
        raise FundingError("currency", _("Contribution ${number} is in ${currency}: charge it in the same currency.",
                                         mapping={"number": contribution.__name__, "currency": contribution.currency}))
    amount = parse_amount(data.get("amount"), currency)
    balance = folder.balance(contribution, leaving_out=current)
    if amount > balance:
        raise FundingError("amount", _("This expenditure (${amount} ${currency}) is more than the unspent balance of "
                                       "contribution ${number}: ${balance} ${currency}.",
                                       mapping={"amount": plain(amount), "currency": currency,
                                                "number": contribution.__name__, "balance": plain(balance)}))
    if data.get("purpose") not in PURPOSES:
        raise FundingError("purpose", _("Choose a purpose of the list."))
    paid_for = check_key(root, data.get("paid_for"), ("review", "course"), "paid_for")
    text = (data.get("paid_for_text") or "").strip()
    description = (data.get("description") or "").strip()
    if len(text) > MAX_NAME:
        raise FundingError("paid_for_text", _("The name may have at most 300 characters."))
    if len(description) > MAX_TEXT:
        raise FundingError("description", _("The description may have at most 2,000 characters."))
    return {"contribution": contribution.__name__, "amount": amount, "currency": currency, "date": data.get("date"),
            "purpose": data["purpose"], "paid_for": paid_for, "paid_for_text": text, "description": description}


def _charge(contribution, name, add=True):
    """Note ``name`` among the contribution's charges (or take it out): writing the contribution makes two
    charges at the same moment conflict, so that the second is checked again against the new balance."""
    charges = [n for n in contribution.charges if n != name]
    contribution.charges = tuple(charges + [name] if add else charges)


def add_expenditure(root, folder, data, actor, language="en"):
    """Charge an expenditure from form ``data`` (checked here; its texts written in ``language``) to its
    contribution; returns it."""
    values = check_expenditure(root, folder, data)
    contribution = folder.contribution(values["contribution"])
    expenditure = folder.add(folder.next_number(), Expenditure(
        values["contribution"], values["amount"], values["currency"], values["date"], values["purpose"],
        values["paid_for"], values["paid_for_text"], values["description"], actor))
    expenditure.language = language
    _charge(contribution, expenditure.__name__)
    _set_donor(expenditure, contribution.donor_state)
    return expenditure


def edit_expenditure(root, expenditure, data, actor):
    folder = expenditure.__parent__
    values = check_expenditure(root, folder, data, current=expenditure)
    old = folder.contribution(expenditure.contribution)
    changed = expenditure.change(actor, **values)
    new = folder.contribution(expenditure.contribution)
    if old is not None:
        _charge(old, expenditure.__name__, add=False)
    _charge(new, expenditure.__name__)
    _set_donor(expenditure, new.donor_state)
    return changed


def donor_state_of(resource):
    """The donor State (ISO3) of a funding record or of the contribution an expenditure is charged to; for
    ``/funding``, the first donor State in code order; None otherwise (the security matrix's ``donor-*``)."""
    if isinstance(resource, FundingRecord):
        return resource.donor_state
    if isinstance(resource, Expenditure):
        contribution = resource.__parent__.contribution(resource.contribution)
        return contribution.donor_state if contribution is not None else None
    if isinstance(resource, FundingFolder):
        return min((r.donor_state for r in resource.records() if r.donor_state), default=None)
    return None
