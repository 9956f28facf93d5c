from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = "Election calendar"

    def ready(self):
        # A country's timeline (cases/timeline.py) marks its calendar's elections too.
        from cases.timeline import calendar_sources

        from .timeline import timeline_events

        calendar_sources.append(timeline_events)
