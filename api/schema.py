"""The OpenAPI generator for the read API: v1's own URL patterns, whoever asks.

Wagtail's admin serves a private DRF API of its own; left to itself, drf-spectacular would
describe (and, in `check --deploy`, warn about) that too.
"""

from drf_spectacular.generators import SchemaGenerator


class V1SchemaGenerator(SchemaGenerator):
    def __init__(self, *args, patterns=None, **kwargs):
        from .urls import v1_patterns

        super().__init__(*args, patterns=patterns or v1_patterns, **kwargs)
