"""Search in three languages: each page indexed with its own language's stemming, queries in the visitor's.

On PostgreSQL a French translation's words are indexed with the "french" text search configuration
(a Spanish one's with "spanish", everything else with "english"), and a search made under /fr/ parses
its words with "french" too, so "truquer" finds "truquées". A match in a translation counts for its
English original, the canonical page every public list shows (portal/querysets.py): results, counts
and facets stay one per case, and the listing shows the translation's title (portal/translations.py).
SQLite's FTS5 does not stem: there the visitor's words are matched as they are, in every language.

Set as WAGTAILSEARCH_BACKENDS' BACKEND ("search.languages"): Wagtail's database backend, with the
indexer told which configuration each object's language takes.
"""

import copy

from django.conf import settings
from django.db import connection
from django.utils import translation
from modelsearch.backends.database import SearchBackend as database_backend
from wagtail.models import Locale

from portal.querysets import default_language

DEFAULT_CONFIG = "english"


def config_for(language_code):
    """The PostgreSQL text search configuration for a language code ('english' when unknown)."""
    return settings.PORTAL_SEARCH_CONFIGS.get(language_code or "", DEFAULT_CONFIG)


def search_config():
    """The configuration a query is parsed with: the active language's."""
    return config_for(translation.get_language() or default_language())


def canonical_matches(sql, params, scored=True):
    """Wrap a page matcher's (id, score) SQL so a translation's match counts for its English original.

    Only under /fr/ or /es/; English searches are left exactly as they were. An original matched in
    both languages appears once, with its better score.
    """
    if translation.get_language() in (None, default_language()):
        return sql, params
    sql = (
        "SELECT COALESCE(original.id, m.id)::int AS id"
        + (", MAX(m.score) AS score" if scored else "")
        + " FROM ("
        + sql
        + ") AS m "
        "LEFT JOIN wagtailcore_page AS page ON page.id = m.id "
        "LEFT JOIN wagtailcore_locale AS page_locale ON page_locale.id = page.locale_id "
        "LEFT JOIN wagtailcore_locale AS home ON home.language_code = %s "
        "LEFT JOIN wagtailcore_page AS original ON page_locale.id <> home.id "
        "AND original.translation_key = page.translation_key AND original.locale_id = home.id "
        "GROUP BY COALESCE(original.id, m.id)"
    )
    return sql, [*params, default_language()]


def _localized_index(index_class):
    class LocalizedIndex(index_class):
        """Indexes each object with the configuration of its locale's language."""

        def add_items(self, model, objs):
            languages = dict(Locale.objects.values_list("pk", "language_code"))
            groups = {}
            for obj in objs:
                groups.setdefault(config_for(languages.get(getattr(obj, "locale_id", None))), []).append(obj)
            for config, group in groups.items():
                if config == self.backend.config:
                    super().add_items(model, group)
                    continue
                # A copy of the index and backend per configuration: the shared backend is never changed.
                index = copy.copy(self)
                index.backend = copy.copy(self.backend)
                index.backend.config = config
                index_class.add_items(index, model, group)

    return LocalizedIndex


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = database_backend(params)
    if connection.vendor == "postgresql":
        backend.index_class = _localized_index(backend.index_class)
    return backend
