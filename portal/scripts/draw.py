"""``portal-draw``: simulate a whole cycle's draws without a database, verify a recorded draw, list the shipped parties.

    portal-draw simulate --parties FILE.csv --years 2027-2031 --seed N [--max-reviews 3]
                         [--per-year a,b,c,d,e] [--volunteers ISO3,...] [--relax R6:ISO3,R7:AAA+BBB]
    portal-draw verify --record FILE.json          (a draw record's @@json, saved)
    portal-draw verify CONFIG.ini CYCLE N          (a draw record in the portal's database)
    portal-draw parties                            (the shipped registry as a parties CSV)

``--lang ar|zh|en|fr|ru|es`` (before the command) writes the explanation of a draw that cannot be made in that
language; input errors stay in English.

Exit status: 0 done, 1 a verification failed, 2 bad input or no valid draw (explained on stderr).
"""

import argparse
import json
import re
import sys

from draws import cycle, parties as party_lists
from draws.model import DEFAULT_MAX_REVIEWS, DrawError, Infeasible, Relaxation
from language import LANGUAGES, _, translate_with
from portal.i18n import localizer

YEARS = re.compile(r"^(\d{4})-(\d{4})$")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own exit status is 2 as well; keep the message short
        self.print_usage(sys.stderr)
        print(f"portal-draw: {message}", file=sys.stderr)
        raise SystemExit(2)


def _years(text):
    match = YEARS.match(text or "")
    if not match or int(match.group(2)) < int(match.group(1)):
        raise DrawError(f"--years {text!r}: write the first and last year, for example 2027-2031", code="years")
    return int(match.group(1)), int(match.group(2)) - int(match.group(1)) + 1


def _ints(text):
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise DrawError(f"--per-year {text!r}: write whole numbers separated by commas, e.g. 39,39,39,38,38",
                        code="per-year") from None
    if any(v < 0 for v in values):
        raise DrawError("--per-year: a year cannot have a negative number of reviews", code="per-year")
    return values


def _codes(text):
    return [c.strip().upper() for c in (text or "").split(",") if c.strip()]


def simulate(args):
    first, years = _years(args.years)
    try:
        with open(args.parties, encoding="utf-8-sig") as f:
            text = f.read()
    except OSError as exc:
        raise DrawError(f"cannot read {args.parties}: {exc.strerror}", code="file") from None
    except UnicodeDecodeError:
        raise DrawError(f"{args.parties} is not UTF-8 text", code="encoding") from None
    parties = party_lists.parse_csv(text)
    if args.max_reviews < 1:
        raise DrawError("--max-reviews must be at least 1 (ToR ¶20)", code="max-reviews")
    per_year = _ints(args.per_year) if args.per_year else None
    relaxations = [Relaxation.parse(c) for c in _codes(args.relax)]
    result = cycle.simulate(parties, first, years, args.seed, per_year, args.max_reviews,
                            _codes(args.volunteers), relaxations)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


def verify(args):
    if args.record:
        try:
            with open(args.record, encoding="utf-8") as f:
                record = json.load(f)
        except (OSError, ValueError) as exc:
            raise DrawError(f"cannot read the record {args.record}: {exc}", code="file") from None
    elif len(args.where) == 3:
        record = _record_from_database(*args.where)
    else:
        raise DrawError("verify needs --record FILE.json, or CONFIG.ini CYCLE NUMBER", code="usage")
    from draws.seeds import verify_commitment

    if record.get("seed") is None:
        raise DrawError("this draw has not been run yet: its seed is still secret", code="unrun")
    if record.get("seed_commitment") and not verify_commitment(record["seed"], record["seed_commitment"]):
        print("FAILED: the revealed seed does not match the commitment published before the draw")
        return 1
    ok, message = cycle.verify(record)
    print(("OK: " if ok else "FAILED: ") + message)
    return 0 if ok else 1


def _record_from_database(config, cycle_id, number):
    from portal.scripts.common import portal_env

    with portal_env(config, "portal-draw") as (root, request):
        try:
            draw = root["cycles"][cycle_id]["draws"][number]
        except KeyError:
            raise DrawError(f"no draw {number} in cycle {cycle_id}", code="no-draw") from None
        return draw.record()


def parties(args):
    sys.stdout.write(party_lists.to_csv(party_lists.shipped()))
    return 0


def main(argv=None):
    parser = _Parser(prog="portal-draw", description="Drawing of lots for the review mechanism (R2-R12).")
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="language of the explanations of a draw that cannot be made (default: en)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sim = sub.add_parser("simulate", help="draw a whole cycle from a CSV list of parties, without a database")
    sim.add_argument("--parties", required=True, help="CSV: iso3,regional_group,legal_system,instruments,status")
    sim.add_argument("--years", required=True, help="first and last year, e.g. 2027-2031")
    sim.add_argument("--seed", required=True, type=int)
    sim.add_argument("--max-reviews", type=int, default=DEFAULT_MAX_REVIEWS)
    sim.add_argument("--per-year", help="states under review per year, e.g. 39,39,39,38,38 (default: even spread)")
    sim.add_argument("--volunteers", help="signatories that volunteer to be reviewed (Convention only), ISO3,...")
    sim.add_argument("--relax", help="recorded relaxations, e.g. R6:EUE,R7:AAA+BBB")
    ver = sub.add_parser("verify", help="re-run a recorded draw and confirm the identical result")
    ver.add_argument("--record", help="a draw record saved from its @@json")
    ver.add_argument("where", nargs="*", help="CONFIG.ini CYCLE NUMBER")
    sub.add_parser("parties", help="print the shipped registry's parties and signatories as a CSV")
    args = parser.parse_args(argv)
    try:
        return {"simulate": simulate, "verify": verify, "parties": parties}[args.command](args)
    except DrawError as exc:
        print(f"portal-draw: {exc.message}", file=sys.stderr)
        return 2
    except Infeasible as exc:
        found = localizer(args.lang)
        head = translate_with(found, _("No valid draw."))
        print(f"portal-draw: {head}\n{exc.explain(lambda m: translate_with(found, m))}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
