"""Fixed scales of the content model. Their values are the slugs of ../shared/research/taxonomy.yaml."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    FOREIGN = "foreign", _("Foreign")
    DOMESTIC = "domestic", _("Domestic")
    MIXED = "mixed", _("Mixed foreign and domestic")
    UNKNOWN = "unknown", _("Unknown")


class AttributionStatus(models.TextChoices):
    """An ordered scale, strongest first: the strongest attribution that exists is recorded."""

    JUDICIAL = "judicial", _("Judicial")
    OFFICIAL = "official", _("Official")
    PLATFORM = "platform", _("Platform")
    INDEPENDENT = "independent", _("Independent")
    ALLEGED = "alleged", _("Alleged")
    UNATTRIBUTED = "unattributed", _("Unattributed")

    @classmethod
    def rank(cls, value):
        """0 for the strongest status; used to sort and compare attributions."""
        return cls.values.index(value)


ATTRIBUTION_DESCRIPTIONS = {
    "judicial": "Established by a court judgment, indictment or other formal judicial finding.",
    "official": "Publicly attributed by a government, election authority, regulator or intergovernmental body.",
    "platform": "Attributed by a platform in a takedown or threat report.",
    "independent": "Attributed by independent researchers, journalists or security firms with published evidence.",
    "alleged": "Claimed without published supporting evidence, or disputed.",
    "unattributed": "Documented, but no actor has been credibly named.",
}


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class ElectionType(models.TextChoices):
    PRESIDENTIAL = "presidential", _("Presidential")
    PARLIAMENTARY = "parliamentary", _("Parliamentary")
    GENERAL = "general", _("General")
    LOCAL = "local", _("Local / municipal")
    REGIONAL = "regional", _("Regional / state / provincial")
    REFERENDUM = "referendum", _("Referendum")
    EUROPEAN_PARLIAMENT = "european-parliament", _("European Parliament")
    PRIMARY = "primary", _("Primary / party leadership")


class ElectionRound(models.TextChoices):
    FIRST = "first", _("First round")
    SECOND = "second", _("Second round")
    RUNOFF = "runoff", _("Run-off")
    RERUN = "rerun", _("Re-run")


class DatePrecision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


class ActorType(models.TextChoices):
    STATE_INTELLIGENCE = "state-intelligence", _("State intelligence service")
    STATE_MILITARY = "state-military", _("State military")
    STATE_MEDIA = "state-media", _("State media")
    GOVERNMENT_AGENCY = "government-agency", _("Government agency")
    PARTY_OR_CAMPAIGN = "political-party-or-campaign", _("Political party or campaign")
    COMMERCIAL_FIRM = "commercial-firm", _("Commercial firm")
    NON_STATE_GROUP = "non-state-group", _("Non-state group")
    INDIVIDUALS = "individuals", _("Individuals")
    UNKNOWN = "unknown", _("Unknown")


class SourceKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    COURT = "court", _("Court record")
    PLATFORM = "platform", _("Platform report")
    RESEARCH = "research", _("Research")
    MEDIA = "media", _("News media")
    REFERENCE = "reference", _("Reference work")
