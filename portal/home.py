"""What the home page shows, in a fixed number of queries.

The counters and the "find cases" choices come from the catalogue index (cases/index.py), which
already holds, for the published cases, which countries, regions, tactics and years they cover.
"""

from cases.live_index import catalogue_index
from cases.models import CaseStudyPage
from cases.worldmap import world_map
from elections import models as election_models
from elections.models import Election
from guides.models import GuidePage

from .collation import name_key
from .names import country_name, term_name
from .translations import localize


def region_counts(index):
    """Published cases per UN M49 region, largest first. A case in two regions counts in both.

    Names here and in the picker are in the page's language (names.py), and sorted as it writes them.
    """
    rows = [
        {"region": term_name(name), "region_slug": slug, "cases": index.regions[slug].bit_count()}
        for slug, name, parent in index.region_rows
        if parent is None
    ]
    return sorted(rows, key=lambda row: (-row["cases"], name_key(row["region"])))


def catalogue_picker(index):
    """Choices for the home page's "find cases" form: countries and tactics that have cases, and the years."""
    countries = sorted(
        (
            {
                "code": code,
                "name": country_name(code, name),
                "region": term_name(region),
                "case_count": bits.bit_count(),
            }
            for code, name, bits, (region, _, _) in index.countries.options
        ),
        key=lambda country: (name_key(country["region"]), name_key(country["name"])),
    )
    tactics = [{"slug": slug, "name": term_name(name)} for slug, name, bits, _ in index.terms["tactic"].options if bits]
    return {
        "countries": countries,
        "tactics": sorted(tactics, key=lambda tactic: name_key(tactic["name"])),
        "years": range(index.last_year, index.first_year - 1, -1) if index.all else [],
    }


# The home page names the next elections on the watch.
HOME_ELECTIONS = 5


def home_context(home):
    index = catalogue_index()
    published_cases = CaseStudyPage.objects.published()
    featured = GuidePage.objects.published().filter(pk__in=home.featured_guides.values("pk"))
    if not featured.exists():
        featured = GuidePage.objects.published().order_by("-first_published_at")
    return {
        "latest_cases": localize(published_cases.for_listing().order_by("-first_seen", "title")[:6]),
        "featured_guides": localize(featured.for_listing()[:4]),
        "region_counts": region_counts(index),
        "case_count": index.all.bit_count(),
        "country_count": len(index.countries.options),  # countries whose elections cases are about
        "actor_country_count": len(index.actor_countries.options),  # countries where named actors are based
        "guide_count": GuidePage.objects.published().count(),
        "picker": catalogue_picker(index),
        "world_map": world_map(index, index.all),
        "next_elections": Election.objects.live()
        .filter(country__live=True)
        .upcoming(election_models.today())
        .select_related("country")[:HOME_ELECTIONS],
    }
