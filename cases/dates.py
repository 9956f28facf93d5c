"""Dates known only to a year or a month: parsing the research format and showing them honestly."""

import datetime
import re

from django.utils import dateformat, translation

from .choices import DatePrecision

# Dates as each language writes them (Django translates the month names): "18 April 2027",
# "18 avril 2027", "18 de abril de 2027"; English and French need nothing but Django's default.
DAY_FORMATS = {"es": r"j \d\e F \d\e Y"}
MONTH_FORMATS = {"es": r"F \d\e Y"}

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def parse_partial_date(value):
    """Return (date, precision) for 2017, "2017", "2017-05", "2017-05-07" or a date.

    The date is the first day of the period. Raises ValueError for anything else.
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value, DatePrecision.DAY
    text = str(value).strip()
    match = _PARTIAL.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    date = datetime.date(int(year), int(month or 1), int(day or 1))  # ValueError if out of range
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return date, precision


def day_display(date):
    """'14 March 2016' in the active language: '14 mars 2016', '14 de marzo de 2016'."""
    return dateformat.format(date, DAY_FORMATS.get(translation.get_language() or "", "j F Y"))


def month_display(date):
    """'March 2016' in the active language: 'mars 2016', 'marzo de 2016'."""
    return dateformat.format(date, MONTH_FORMATS.get(translation.get_language() or "", "F Y"))


def format_partial_date(date, precision):
    """'2016', 'March 2016' or '14 March 2016', as precise as the record is, in the active language."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(date.year)
    if precision == DatePrecision.MONTH:
        return month_display(date)
    return day_display(date)


def iso_partial_date(date, precision):
    """'2016', '2016-03' or '2016-03-14': the research format, for exports."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def period_end(date, precision):
    """The last day a partial date can mean: 31 December for a year, the month's last day for a month."""
    if precision == DatePrecision.YEAR:
        return datetime.date(date.year, 12, 31)
    if precision == DatePrecision.MONTH:
        next_month = datetime.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return next_month - datetime.timedelta(days=1)
    return date
