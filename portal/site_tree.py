"""The fixed skeleton of the site: home at /, the catalogue at /cases/, guides at /guides/."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from cases.models import CaseIndexPage
from guides.models import GuideIndexPage

from .models import HomePage, StandardPage

HOME_INTRO = (
    "A reference knowledge base of election interference: documented country cases, by foreign "
    "powers and by domestic actors, each with its sources, and practical guides for the people who "
    "defend elections."
)
HOME_ABOUT = (
    "<p>The portal is published by an independent commission on election integrity, modelled on the "
    "Transatlantic Commission on Election Integrity. Commission members write each case and guide; a fact "
    "checker and a commission reviewer approve it before it is published, and every case lists its sources "
    "and a log of corrections.</p><p>All data is open: the catalogue can be downloaded as CSV or JSON, and "
    "followed as an Atom feed.</p>"
)
METHODOLOGY = [
    ("heading", "What counts as a case"),
    (
        "paragraph",
        "<p>A case is a documented attempt to manipulate an election or referendum, or public trust in it, "
        "by foreign or domestic actors. Each case must rest on at least two independent, citable sources.</p>",
    ),
    ("heading", "Attribution"),
    (
        "paragraph",
        "<p>Attribution is recorded on an ordered scale, from strongest to weakest: judicial, official, "
        "platform, independent, alleged and unattributed. We record the strongest attribution that exists, who made "
        "it, and our confidence in it (high, medium or low).</p>",
    ),
    ("heading", "Tactics and DISARM"),
    (
        "paragraph",
        "<p>Tactics are described in plain words and mapped to techniques of the DISARM Red Framework "
        "(version 1.6), so that cases can be compared with other trackers that use it.</p>",
    ),
]


def _child(parent, model, slug, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def ensure_site_tree():
    """Create the home page, catalogue, guide list and about page once; return (home, cases, guides)."""
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        # Wagtail's migrations leave a "Welcome to your new Wagtail site!" placeholder at /;
        # it goes (with its Site row, which cascades) and the portal's home takes its place.
        for placeholder in root.get_children().filter(slug="home"):
            if type(placeholder.specific) is Page and not placeholder.get_children().exists():
                placeholder.delete()
        home = HomePage(title="Election Integrity Portal", slug="home", intro=HOME_INTRO, about=HOME_ABOUT)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Election Integrity Portal"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    cases = _child(
        home,
        CaseIndexPage,
        "cases",
        title="Case studies",
        intro=CATALOGUE_INTRO,
    )
    guides = _child(
        home,
        GuideIndexPage,
        "guides",
        title="Best-practice guides",
        intro=GUIDES_INTRO,
    )
    _child(
        home,
        StandardPage,
        "methodology",
        title="Methodology",
        summary=METHODOLOGY_SUMMARY,
        body=METHODOLOGY,
    )
    return home, cases, guides


# Translated in portal/demo/translations/<language>.yaml ("pages").
CATALOGUE_INTRO = (
    "<p>Every published case of election interference, filterable by country, region, year, "
    "tactic, actor and attribution.</p>"
)
GUIDES_INTRO = "<p>Practical guidance for election officials, campaigns, platforms, civil society and policymakers.</p>"
METHODOLOGY_SUMMARY = "How cases are selected, sourced, attributed and classified."

# The skeleton's titles in each language, by slug; its other text stays English until translated.
TRANSLATED_TITLES = {
    "fr": {
        "home": "Portail de l’intégrité électorale",
        "cases": "Études de cas",
        "guides": "Guides de bonnes pratiques",
        "methodology": "Méthodologie",
    },
    "es": {
        "home": "Portal de Integridad Electoral",
        "cases": "Estudios de caso",
        "guides": "Guías de buenas prácticas",
        "methodology": "Metodología",
    },
}


@transaction.atomic
def ensure_translated_tree():
    """Give every other content locale (fr, es) its copy of the skeleton: home, catalogue, guides, methodology.

    Made with Wagtail's copy_for_translation and published at once, as the English skeleton is: the
    copies hold the same text until a translator changes it, and being under the translated catalogue
    and guide list, translated cases and guides pass the same "Commission review" (portal/moderation.py
    assigns the workflow to every catalogue and guide list, in each locale). Returns the locales done.
    """
    home, cases, guides = ensure_site_tree()
    skeleton = [home, cases, guides, *StandardPage.objects.child_of(home).filter(locale=home.locale)]
    locales = list(Locale.objects.exclude(pk=home.locale_id).order_by("language_code"))
    for locale in locales:
        for page in skeleton:
            if page.get_translation_or_none(locale) is None:
                translation = page.copy_for_translation(locale, copy_parents=True).specific
                translation.title = TRANSLATED_TITLES.get(locale.language_code, {}).get(page.slug, page.title)
                translation.save_revision().publish()
    # Each translated home is a site root in its language: Wagtail caches the list of roots.
    Site.clear_site_root_paths_cache()
    return locales
