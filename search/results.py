"""Search hits as the page shows them: type, title, date, countries, a highlighted snippet."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.utils import normalise_query_string

from cases.dates import day_display
from cases.live_index import catalogue_index
from cases.models import CaseStudyPage
from guides.models import GuidePage
from portal.reviewed import live_prefetches
from portal.translations import listed_url, localize

from .highlight import highlight, snippet
from .scope import TYPES, content_type_id


@dataclass
class Result:
    """One search hit as the page shows it."""

    kind: str
    title: str
    url: str
    title_html: SafeString = ""
    date: str = ""
    countries: list = field(default_factory=list)
    snippet: SafeString = ""
    matched_in: list = field(default_factory=list)
    pk: int = 0

    @property
    def kind_label(self):
        return TYPES.get(self.kind) or _("Page")


def _source_texts(page):
    return [f"{s.publisher}: {s.title}" for s in page.sources.all()]


def _of_type(ids, content_types, model):
    """The ids of `model`'s pages among `ids`, by `content_types` ({id: content type id}) if known."""
    if content_types is None:
        return ids
    wanted = content_type_id(model)
    return [pk for pk in ids if content_types.get(pk, wanted) == wanted]


def page_results(scope, ids, pattern, content_types=None):
    """Cases and guides for these page ids, in this order, ready to show.

    `content_types` ({id: content type id}, as the search found them) spares asking for a type
    none of the ids is (a query and its prefetches).
    """
    pages = []
    if case_ids := _of_type(ids, content_types, CaseStudyPage):
        pages += scope.cases.filter(pk__in=case_ids).prefetch_related(
            *live_prefetches(CaseStudyPage, "countries", "actors", "tactics"), "sources"
        )
    if guide_ids := _of_type(ids, content_types, GuidePage):
        pages += scope.guides.filter(pk__in=guide_ids).prefetch_related(
            *live_prefetches(GuidePage, "threats"), "sources"
        )
    if not pages:
        return []
    # Under /fr/ or /es/: a live translation's title and summary, and links that keep the language.
    by_id = {page.pk: page for page in localize(pages)}
    results = []
    for pk in ids:
        page = by_id.get(pk)
        if page is None:
            continue
        body = " ".join(page._meta.get_field("body").get_searchable_content(page.body))
        if isinstance(page, CaseStudyPage):
            names = [c.label for c in page.countries.all()]
            related = {
                _("Actors"): [a.name for a in page.actors.all()],
                _("Tactics"): [t.name for t in page.tactics.all()],
                _("Sources"): _source_texts(page),
            }
            item = Result(
                kind="case",
                title=page.title,
                url=listed_url(page),
                date=page.period_display,
                countries=names,
                snippet=snippet([page.summary, body, page.response], pattern),
            )
        else:
            related = {_("Threats"): [t.name for t in page.threats.all()], _("Sources"): _source_texts(page)}
            item = Result(
                kind="guide",
                title=page.title,
                url=listed_url(page),
                date=_("Reviewed %(day)s") % {"day": day_display(page.last_reviewed)} if page.last_reviewed else "",
                snippet=snippet([page.summary, body], pattern),
            )
        item.pk = page.pk
        item.title_html = highlight(page.title, pattern)
        if pattern is not None:
            for label, values in related.items():
                hits = [highlight(v, pattern) for v in values if pattern.search(v)]
                if hits:
                    item.matched_in.append((label, hits[:3]))
        results.append(item)
    return results


def case_count_text(about, by_actors):
    """What a country's search result says it counts: cases about it, and cases by actors based there."""
    text = f"{about} published case{'s' if about != 1 else ''} about it"
    if by_actors:
        text += f"; {by_actors} case{'s' if by_actors != 1 else ''} name actors based there"
    return text + "."


def country_results(scope, countries, pattern, index=None):
    """Country profiles for these live countries (as CountryMatcher.found() reads them), in this
    order, each with its number of published cases and of those naming live actors based there.

    Both counts come from the catalogue index (`index`, the one the facets were counted with, or
    this version's), as the country hubs show them: no query, where SQL took two, and tens of
    milliseconds for the busiest countries on a large catalogue.
    """
    if not countries:
        return []
    index = index if index is not None else catalogue_index(scope.version)
    results = []
    for country in countries:
        count = index.country_bits(country.code).bit_count()
        by_actor = index.actor_country_bits(country.code).bit_count()
        text = f"{country.region_label}, {country.sub_region_label}. {case_count_text(count, by_actor)}"
        if profile := strip_tags(country.profile):
            text = f"{case_count_text(count, by_actor)} {profile}"
        results.append(
            Result(
                kind="country",
                # Shown in the page's language (portal/names.py); the search matched the English name.
                title=country.label,
                url=country.get_absolute_url(),
                title_html=highlight(country.label, pattern),
                countries=[country.label],
                date=country.sub_region_label or country.region_label,
                snippet=snippet([text], pattern),
                pk=country.pk,
            )
        )
    return results


def promotions(scope, text):
    """Editors' picks for this exact query: published pages (or external links) only."""
    picks = (
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(text))
        .filter(Q(page__isnull=True) | Q(page__in=scope.pages))
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    items = []
    for pick in picks[:3]:
        if pick.page:
            specific = pick.page.specific
            items.append(
                Result(
                    kind="promoted",
                    title=specific.title,
                    url=specific.url,
                    title_html=highlight(specific.title, None),
                    snippet=highlight(pick.description or getattr(specific, "summary", ""), None),
                    pk=specific.pk,
                )
            )
        elif pick.external_link_url:
            items.append(
                Result(
                    kind="promoted",
                    title=pick.external_link_text or pick.external_link_url,
                    url=pick.external_link_url,
                    title_html=highlight(pick.external_link_text or pick.external_link_url, None),
                    snippet=highlight(pick.description, None),
                )
            )
    return items
