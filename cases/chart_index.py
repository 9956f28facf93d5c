"""What the map and charts need beyond the catalogue index, kept beside the index it was built for.

The catalogue index (index.py) holds, per filter option, the bits of the published cases it
selects. The map links each country to its page, whose address needs the country's slug, and one chart
counts DISARM techniques, which no filter uses. Both are read here once per index (three
queries), in the index's positions, and kept until the index is rebuilt: a page that draws the
map and charts runs no query for them. index.py stays the catalogue's, at its size.

A case's techniques are its own, or else those its tactics map to: the rule the case page shows
(CaseStudyPage.techniques_shown).
"""

import threading
from dataclasses import dataclass

from django.utils import translation

from portal.querysets import default_language

from .index_build import _linked_bits
from .models import Country, DisarmTechnique, Tactic


@dataclass(frozen=True)
class Technique:
    external_id: str
    name: str
    url: str
    bits: int


@dataclass(frozen=True)
class ChartIndex:
    country_urls: dict  # country code -> address of its page, in English (language_path gives the others)
    techniques: list  # Technique, by DISARM id


def build_chart_index(index):
    """Country page addresses and technique bits for the cases of `index` (three queries)."""
    codes = [code for code, _name, _bits, _extra in index.countries.options]
    countries = Country.objects.filter(code__in=codes).only("code", "slug")
    # Kept for every visitor: the English paths, which the map puts in the visitor's language.
    with translation.override(default_language()):
        country_urls = {country.code: country.get_absolute_url() for country in countries}

    own = _linked_bits("disarm_techniques", "id", index.position_of)
    with_own = 0
    for bits in own.values():
        with_own |= bits
    # Cases without techniques of their own take those of their tactics.
    tactic_bits = {pk: bits for _slug, _label, bits, pk in index.terms["tactic"].options}
    through = Tactic.disarm_techniques.through
    from_tactics = {}
    for tactic, technique in through.objects.values_list("tactic_id", "disarmtechnique_id"):
        from_tactics[technique] = from_tactics.get(technique, 0) | tactic_bits.get(tactic, 0)

    techniques = []
    for pk, external_id, name in DisarmTechnique.objects.order_by("external_id").values_list(
        "pk", "external_id", "name"
    ):
        bits = own.get(pk, 0) | (from_tactics.get(pk, 0) & ~with_own)
        technique = DisarmTechnique(external_id=external_id)
        techniques.append(Technique(external_id, name, technique.url, bits & index.all))
    return ChartIndex(country_urls, techniques)


_lock = threading.Lock()


def chart_index(index):
    """The ChartIndex of this catalogue index, built once per build of the index and kept with it.

    A masked copy of a build (live_index.py) shares its build's: technique bits are only ever
    ANDed with a selection of the copy, and the countries it lists come from the copy.
    """
    derived = index.base.derived
    if "charts" not in derived:
        with _lock:
            if "charts" not in derived:
                derived["charts"] = build_chart_index(index.base)
    return derived["charts"]
