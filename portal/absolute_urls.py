"""Absolute URLs for what leaves the site (exports, feed, sitemap, robots.txt) name one host.

Wagtail's own links (canonical, page URLs in exports) come from the Site record; links built
from a bare path used to take the request's Host header instead, so one export could mix
`http://localhost/…` and `http://127.0.0.1:8100/…`. Everything here goes through the Site record
that serves the request (the default Site otherwise); `manage.py serve` points the default Site
at the host and port it serves on. A low layer: it reads Wagtail's Site model, nothing of ours.
"""

from wagtail.models import Site


def site_root_url(request=None):
    """'http://host[:port]' of the Site serving this request, without a trailing slash.

    Read from Wagtail's cached site root paths, so a page that builds many links adds no query:
    the Site already found for this request, else the Site named by the request's host, else the
    only Site there is; with several Sites and none matching, the default Site.
    """
    site = getattr(request, "_wagtail_site", None)
    if site is not None:
        return site.root_url
    roots = Site.get_site_root_paths()
    if request is not None:
        host = request.get_host()
        for root in roots:
            if root.root_url.partition("://")[2] == host:
                return root.root_url
    if len({root.site_id for root in roots}) == 1:
        return roots[0].root_url
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:  # a bare database: fall back on the request's own host
        return request.build_absolute_uri("/").rstrip("/") if request is not None else ""
    return site.root_url


def absolute_url(request, path):
    """An absolute URL for a site path ('/cases/?q=x'); absolute URLs pass through unchanged."""
    if path.startswith(("http://", "https://")):
        return path
    return site_root_url(request) + path
