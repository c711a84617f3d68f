"""``portal-remind CONFIG [--date YYYY-MM-DD]``: mail today's reminders of milestones and questions due, and
the daily digests of those who chose one (docs/operations.md §8a says how to run it daily); running it
twice on a day sends nothing twice."""

import argparse
from datetime import date, timedelta

from pyramid.paster import get_appsettings
from pyramid.request import Request

from portal.reminders import DAYS_BEFORE, prune, send_digests, send_reminders
from portal.scripts.common import portal_env

KEEP_RECORDS_DAYS = 31


def main(argv=None):
    parser = argparse.ArgumentParser(prog="portal-remind", description=__doc__)
    parser.add_argument("config")
    parser.add_argument("--date", type=date.fromisoformat, default=None, help="the day to remind for (default: today)")
    args = parser.parse_args(argv)
    settings = get_appsettings(args.config)
    today = args.date or date.today()
    days_before = int(settings.get("reminders.days_before", DAYS_BEFORE))
    # Links in the mails point to the portal's public address, not to the machine the command runs on.
    request = Request.blank("/", base_url=settings.get("portal.public_url", "http://127.0.0.1:6543"))
    with portal_env(args.config, "portal-remind", request=request) as (root, request):
        sent = send_reminders(root, request, today, days_before)
        digests = send_digests(root, request)
        pruned = prune(root, today - timedelta(days=KEEP_RECORDS_DAYS))
    print(f"portal-remind: {sent} reminder(s) sent for {today.isoformat()}, {digests} daily digest(s); "
          f"{pruned} old record(s) forgotten")
    return 0
