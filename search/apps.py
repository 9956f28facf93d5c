from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "Public search"

    def ready(self):
        from . import hits, signals  # noqa: F401 - connect the search index handlers and the hit replay
