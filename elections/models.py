"""The election calendar: national elections to come and past, each with the source that gives its date.

An election is a reviewed snippet (portal/reviewed.py) under the "Commission review" like every
term: a new one or a changed date is a draft until a reviewer publishes it, and the public reads
elections only through `Election.objects.live()`. A date is exact or known to the month only; a
month-only date is stored as the first of the month and stays "upcoming" until that month ends.
"""

import calendar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from cases.choices import ElectionRound, ElectionType
from cases.dates import day_display, month_display
from portal.reviewed import ReviewedQuerySet, ReviewedSnippet

# The election watch looks this many months ahead.
WATCH_MONTHS = 12

# An election's name by its type: a whole phrase each, so each language can order and agree its words.
ELECTION_NAMES = {
    ElectionType.PRESIDENTIAL: _("Presidential election"),
    ElectionType.PARLIAMENTARY: _("Parliamentary election"),
    ElectionType.GENERAL: _("General election"),
    ElectionType.LOCAL: _("Local / municipal election"),
    ElectionType.REGIONAL: _("Regional / state / provincial election"),
    ElectionType.REFERENDUM: _("Referendum"),
    ElectionType.EUROPEAN_PARLIAMENT: _("European Parliament election"),
    ElectionType.PRIMARY: _("Primary / party leadership election"),
}


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"


def add_months(day, months):
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class ElectionQuerySet(ReviewedQuerySet):
    def _not_over(self, today):
        # A month-only election is not over before its month is.
        return models.Q(date__gte=today) | models.Q(date_precision=DatePrecision.MONTH, date__gte=today.replace(day=1))

    def upcoming(self, today, months=WATCH_MONTHS):
        """Elections not yet over whose date falls within `months` of `today`, soonest first."""
        return self.filter(self._not_over(today), date__lte=add_months(today, months)).order_by("date", "pk")

    def past(self, today):
        """Elections that are over, latest first."""
        return self.exclude(self._not_over(today)).order_by("-date", "-pk")

    def not_over(self, today):
        """Elections not yet over, however far ahead, soonest first."""
        return self.filter(self._not_over(today)).order_by("date", "pk")


class Election(ReviewedSnippet):
    """A national election on the calendar: where, when (to the day or the month), what, and who says so."""

    country = models.ForeignKey("cases.Country", on_delete=models.PROTECT, related_name="elections")
    date = models.DateField(help_text="For a month-only date, any day of the month: the first is kept.")
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    election_type = models.CharField(max_length=20, choices=ElectionType.choices)
    round = models.CharField(max_length=10, choices=ElectionRound.choices, blank=True)
    source_title = models.CharField(max_length=300, help_text="The title of the page that gives the date.")
    source_publisher = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500)
    source_accessed = models.DateField("source accessed on")
    # Key of the demo record this row was loaded from (elections/demo/): loading again updates it.
    import_key = models.SlugField(max_length=80, blank=True, editable=False, db_index=True)

    objects = ElectionQuerySet.as_manager()

    panels = [
        FieldPanel("country"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("date_precision")]),
        FieldRowPanel([FieldPanel("election_type"), FieldPanel("round")]),
        MultiFieldPanel(
            [
                FieldPanel("source_title"),
                FieldPanel("source_publisher"),
                FieldPanel("source_url"),
                FieldPanel("source_accessed"),
            ],
            heading=_("Source of the date"),
        ),
    ]

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.country}: {self.label}, {self.date_display}"

    def save(self, *args, **kwargs):
        if self.date and self.date_precision == DatePrecision.MONTH:
            self.date = self.date.replace(day=1)
        super().save(*args, **kwargs)

    @property
    def label(self):
        """ "Presidential election", "Presidential election, second round", in the active language."""
        name = ELECTION_NAMES.get(self.election_type) or self.get_election_type_display()
        return f"{name}, {str(self.get_round_display()).lower()}" if self.round else str(name)

    @property
    def date_display(self):
        """ "14 March 2027", or "March 2027" when only the month is known, in the active language."""
        if self.date_precision == DatePrecision.MONTH:
            return month_display(self.date)
        return day_display(self.date)

    @property
    def date_iso(self):
        """The date as <time datetime> takes it: 2027-03-14, or 2027-03 for a month."""
        return f"{self.date:%Y-%m}" if self.date_precision == DatePrecision.MONTH else self.date.isoformat()

    def is_over(self, today):
        if self.date_precision == DatePrecision.MONTH:
            return add_months(self.date, 1) <= today.replace(day=1)
        return self.date < today


def today():
    """The day the watch is drawn for, in the site's time zone (tests replace it)."""
    return timezone.localdate()
