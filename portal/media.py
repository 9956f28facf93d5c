"""Uploads stay private until a published page uses them or a reviewer releases them.

Why: a contributor's upload has not been reviewed. A document or image becomes public when a
live, public page uses it (Wagtail's ReferenceIndex records what each page row links to or
embeds, and the row holds the live version, so a draft's new link does not count) or when a
reviewer releases it (`MediaRelease`, logged in Wagtail's audit log). People who may work with
documents or images in the admin see every upload, as the admin shows them.

- Documents are served by Wagtail's view (/documents/<id>/<file>, WAGTAILDOCS_SERVE_METHOD =
  "serve_view"), which asks the `before_serve_document` hook (wagtail_hooks.py): an unreleased
  document answers 404, as if it did not exist.
- Images are shown as renditions, linked by templates at MEDIA_URL + "images/…". Those URLs are
  answered by `serve_rendition`, with the same check on the rendition's image. Originals
  (MEDIA_ROOT/original_images/) and document files (MEDIA_ROOT/documents/) have no public URL.

Trade-off: every image request goes through Django (one query for the rendition, a few for the
check) instead of the web server reading the file. That is what makes a rendition of an
unreleased image unreachable even when its URL is known (rendition names are guessable from the
original's). The web server must therefore never serve MEDIA_ROOT itself; a site with heavy image
traffic would cache released renditions in front (they are marked public) or hand the file back
to the web server with X-Accel-Redirect after the check.
"""

import mimetypes

from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from .models import MediaRelease
from .querysets import PublishedPageQuerySet

RELEASE_ACTION = "portal.release_media"
EDITOR_ACTIONS = ("add", "change", "choose", "delete")
# Released renditions may be cached by browsers and proxies for this long (seconds).
PUBLIC_MAX_AGE = 3600


def is_editor(user, upload):
    """Whether this user works with uploads of this kind in the admin (and so sees them all)."""
    policy = policy_registry.get_by_type(type(upload))
    return user.is_authenticated and policy.user_has_any_permission(user, EDITOR_ACTIONS)


def used_by_published_pages(model, ids):
    """The ids among these uploads that a live, public page links to or embeds (three queries at most).

    The reference index records what each page row holds, and the row is the live version.
    """
    references = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(model),
        to_object_id__in=[str(pk) for pk in ids],
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("to_object_id", "object_id")
    pages_of = {}
    for upload_id, page_id in references:
        pages_of.setdefault(int(upload_id), set()).add(int(page_id))
    if not pages_of:
        return set()
    wanted = set().union(*pages_of.values())
    published = set(PublishedPageQuerySet(Page).published().filter(pk__in=wanted).values_list("pk", flat=True))
    return {upload_id for upload_id, pages in pages_of.items() if pages & published}


def used_by_published_page(upload):
    """Whether a live, public page links to or embeds this upload."""
    return upload.pk in used_by_published_pages(type(upload), [upload.pk])


def is_released(upload):
    """Whether the public may fetch this document or image."""
    field = "image" if isinstance(upload, get_image_model()) else "document"
    return MediaRelease.objects.filter(**{field: upload}).exists() or used_by_published_page(upload)


def visible_to(request, upload):
    return is_editor(request.user, upload) or is_released(upload)


def can_release(user):
    return user.is_authenticated and user.has_perm("portal.release_media")


def release(upload, user):
    """Release an upload for the public, once, and log who did it."""
    field = "image" if isinstance(upload, get_image_model()) else "document"
    _, created = MediaRelease.objects.get_or_create(**{field: upload}, defaults={"released_by": user})
    if created:
        log(instance=upload, action=RELEASE_ACTION, user=user)
    return created


def unreleased(model):
    """Uploads of this model that nobody released (some may still be public through a page)."""
    return model.objects.filter(release__isnull=True).order_by("-created_at")


def upload_model(kind):
    return {"document": get_document_model(), "image": get_image_model()}[kind]


@require_GET
def serve_rendition(request, name):
    """A rendition file, to those who may see its image: MEDIA_URL + "images/<name>"."""
    rendition_model = get_image_model().get_rendition_model()
    rendition = rendition_model.objects.filter(file=f"images/{name}").select_related("image").first()
    if rendition is None or not visible_to(request, rendition.image):
        raise Http404("No such image.")
    try:
        handle = rendition.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("No such image.") from missing
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    # Decided per request and per user: a cache must not hand an editor's view to the public.
    if is_editor(request.user, rendition.image) and not is_released(rendition.image):
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response
