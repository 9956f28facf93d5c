"""Throttling for anonymous API clients: the rate is read from settings at each request, so
tests and deployments can change it (DRF's own classes read it once, at import)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.PORTAL_API_ANON_RATE
