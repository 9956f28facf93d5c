"""Commission reviews: what recording one does, and when the next one is due.

A review date is an honest statement that the commission checked a page against its sources,
so it is set in two ways only: the final workflow approval ("Commission approval", see
`CommissionApprovalTask` in models.py) and a reviewer's explicit "Reviewed, no change" in the
admin (review_admin.py). Loading or importing data never sets one.

Pages take part by defining `record_review(on)` (set their review fields) and
`review_due_date` (when the next review is due, None if never reviewed); pages with publication
rules define `publication_check()`, an object with `problems` (blocking) and `warnings`. This
module imports no app's models, so the apps' models can use it.
"""

import calendar
import datetime

from django.utils import timezone

REVIEW_INTERVAL_MONTHS = 12
# The "Reviews due" report lists pages due within this many days, and those overdue.
DUE_SOON_DAYS = 30


def add_months(date, months):
    """The same day `months` later, or the month's last day when it has no such day (29 February)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return date.replace(year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1]))


def next_review(last_reviewed):
    return add_months(last_reviewed, REVIEW_INTERVAL_MONTHS) if last_reviewed else None


def today():
    return timezone.localdate()


def publication_problems(page):
    """What stops this version of a page from being published (empty when nothing does)."""
    check = getattr(page, "publication_check", None)
    return list(check().problems) if check else []


def publication_warnings(page):
    check = getattr(page, "publication_check", None)
    return list(check().warnings) if check else []


def is_reviewable(page):
    return hasattr(page, "record_review")


def save_reviewed_revision(page, user, on=None):
    """A new revision of the page's latest version carrying the review date; returns it (unpublished)."""
    latest = page.get_latest_revision_as_object()
    latest.record_review(on or today())
    return latest.save_revision(user=user, clean=False, log_action=True)


def review_status(page, on=None):
    """("never" | "overdue" | "due" | "ok", due date) for a page's review date, as of `on` (today)."""
    on = on or today()
    due = page.review_due_date
    if due is None:
        return "never", None
    if due < on:
        return "overdue", due
    if due <= on + datetime.timedelta(days=DUE_SOON_DAYS):
        return "due", due
    return "ok", due
