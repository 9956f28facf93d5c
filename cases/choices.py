"""Fixed scales of the content model. Their values are the slugs of ../shared/research/taxonomy.yaml."""

from django.db import models


class Origin(models.TextChoices):
    FOREIGN = "foreign", "Foreign"
    DOMESTIC = "domestic", "Domestic"
    MIXED = "mixed", "Mixed foreign and domestic"
    UNKNOWN = "unknown", "Unknown"


class AttributionStatus(models.TextChoices):
    """An ordered scale, strongest first: the strongest attribution that exists is recorded."""

    JUDICIAL = "judicial", "Judicial"
    OFFICIAL = "official", "Official"
    PLATFORM = "platform", "Platform"
    INDEPENDENT = "independent", "Independent"
    ALLEGED = "alleged", "Alleged"
    UNATTRIBUTED = "unattributed", "Unattributed"

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
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class ElectionType(models.TextChoices):
    PRESIDENTIAL = "presidential", "Presidential"
    PARLIAMENTARY = "parliamentary", "Parliamentary"
    GENERAL = "general", "General"
    LOCAL = "local", "Local / municipal"
    REGIONAL = "regional", "Regional / state / provincial"
    REFERENDUM = "referendum", "Referendum"
    EUROPEAN_PARLIAMENT = "european-parliament", "European Parliament"
    PRIMARY = "primary", "Primary / party leadership"


class ElectionRound(models.TextChoices):
    FIRST = "first", "First round"
    SECOND = "second", "Second round"
    RUNOFF = "runoff", "Run-off"
    RERUN = "rerun", "Re-run"


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


class ActorType(models.TextChoices):
    STATE_INTELLIGENCE = "state-intelligence", "State intelligence service"
    STATE_MILITARY = "state-military", "State military"
    STATE_MEDIA = "state-media", "State media"
    GOVERNMENT_AGENCY = "government-agency", "Government agency"
    PARTY_OR_CAMPAIGN = "political-party-or-campaign", "Political party or campaign"
    COMMERCIAL_FIRM = "commercial-firm", "Commercial firm"
    NON_STATE_GROUP = "non-state-group", "Non-state group"
    INDIVIDUALS = "individuals", "Individuals"
    UNKNOWN = "unknown", "Unknown"


class SourceKind(models.TextChoices):
    OFFICIAL = "official", "Official"
    COURT = "court", "Court record"
    PLATFORM = "platform", "Platform report"
    RESEARCH = "research", "Research"
    MEDIA = "media", "News media"
    REFERENCE = "reference", "Reference work"
