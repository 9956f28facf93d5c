"""The catalogue's content model: countries, taxonomies and case study pages."""

from .countries import Country, CountryQuerySet
from .pages import (
    AbstractSource,
    CaseCorrection,
    CaseIndexPage,
    CaseQuerySet,
    CaseRelatedGuide,
    CaseSource,
    CaseStudyPage,
)
from .sourcehealth import SourceCheck, SourceStatus
from .taxonomy import Actor, Channel, DisarmTechnique, ElectionPhase, Tactic, Target

__all__ = [
    "AbstractSource",
    "Actor",
    "CaseCorrection",
    "CaseIndexPage",
    "CaseQuerySet",
    "CaseRelatedGuide",
    "CaseSource",
    "CaseStudyPage",
    "Channel",
    "Country",
    "CountryQuerySet",
    "DisarmTechnique",
    "ElectionPhase",
    "SourceCheck",
    "SourceStatus",
    "Tactic",
    "Target",
]
