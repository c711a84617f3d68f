"""What a save conflict shows (issue 21 §4): who saved first, by name, and the saved text beside the reader's
unsaved one, line by line, so that nobody has to compare them by eye on another page."""

from difflib import SequenceMatcher


def person_name(request, login):
    """The full name of the account ``login`` (its login when it has no account any more)."""
    user = request.root["users"].get(login) if login else None
    return getattr(user, "fullname", None) or login or ""


def side_by_side(theirs, yours):
    """Rows ``(op, their line, your line)`` of two texts: op ``=`` same, ``~`` changed, ``-`` only theirs,
    ``+`` only yours."""
    a, b = (theirs or "").splitlines(), (yours or "").splitlines()
    rows = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [("=", x, y) for x, y in zip(a[i1:i2], b[j1:j2])]
        else:
            left, right = a[i1:i2], b[j1:j2]
            for k in range(max(len(left), len(right))):
                x = left[k] if k < len(left) else None
                y = right[k] if k < len(right) else None
                rows.append(("~" if x is not None and y is not None else "-" if y is None else "+", x, y))
    return rows


def conflict(request, login, fields):
    """The page's ``conflict``: ``{"who": full name, "fields": [(label, rows)]}`` for every field of
    ``fields`` (``(label, saved text, your text)``) where the two differ."""
    return {"who": person_name(request, login),
            "fields": [(label, side_by_side(theirs, yours)) for label, theirs, yours in fields
                       if (theirs or "") != (yours or "")]}
