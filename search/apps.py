from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "Public search"

    def ready(self):
        from . import signals  # noqa: F401 - connect the search index handlers
