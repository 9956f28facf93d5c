"""Shareable filter URLs: a GET form's empty fields (`q=&year_to=`) are dropped by a redirect.

A form submitted without JavaScript sends every field, empty or not; the catalogue's script
leaves empty fields out, but links shared from a no-JS browser still carried `q=&year_to=…`.
Redirecting to the same URL without them (302, so nothing is cached for good) gives one short
address per result set, with or without JavaScript.
"""

from functools import wraps

from django.http import HttpResponseRedirect
from django.utils.http import urlencode


def cleaned_url(request):
    """The request's URL without its empty query parameters, or None when it has none."""
    if request.method not in ("GET", "HEAD") or not request.GET:
        return None
    pairs = [(name, value) for name, value in request.GET.lists()]
    kept = [(name, [v for v in values if v.strip()]) for name, values in pairs]
    kept = [(name, values) for name, values in kept if values]
    if sum(len(v) for _, v in kept) == sum(len(v) for _, v in pairs):
        return None
    query = urlencode(kept, doseq=True)
    return f"{request.path}?{query}" if query else request.path


def redirect_without_empty_params(request):
    url = cleaned_url(request)
    return HttpResponseRedirect(url) if url else None


def drops_empty_params(view):
    """Decorate a GET view: requests with empty parameters are redirected to the cleaned URL."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return redirect_without_empty_params(request) or view(request, *args, **kwargs)

    return wrapper
