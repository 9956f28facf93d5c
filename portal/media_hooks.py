"""Admin side of media review (portal/media.py): the document serve check, releasing uploads.

Registered through wagtail_hooks.py, which imports this module.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from . import media

# An admin page lists this many unreleased uploads of each kind, newest first.
LISTED = 100


@hooks.register("before_serve_document")
def serve_released_documents_only(document, request):
    if not media.visible_to(request, document):
        raise Http404("No such document.")


@hooks.register("register_log_actions")
def register_release_action(actions):
    actions.register_action(media.RELEASE_ACTION, _("Release for the public"), _("Released for the public"))


def unreleased_uploads(request):
    """Documents and images nobody has released, with a button to release each."""
    if not media.can_release(request.user):
        raise PermissionDenied
    groups = []
    for kind, label in (("document", gettext("Documents")), ("image", gettext("Images"))):
        model = media.upload_model(kind)
        uploads = list(media.unreleased(model)[:LISTED])
        public = media.used_by_published_pages(model, [upload.pk for upload in uploads])
        groups.append((kind, label, [(upload, upload.pk in public) for upload in uploads]))
    return render(
        request,
        "portal/admin/unreleased_uploads.html",
        {"groups": groups, "page_title": gettext("Unreleased uploads"), "header_icon": "doc-full"},
    )


@require_POST
def release_upload(request, kind, pk):
    if not media.can_release(request.user):
        raise PermissionDenied
    if kind not in ("document", "image"):
        raise Http404
    upload = get_object_or_404(media.upload_model(kind), pk=pk)
    if media.release(upload, request.user):
        messages.success(
            request, gettext("“%(title)s” is released: the public can now fetch it.") % {"title": upload.title}
        )
    else:
        messages.info(request, gettext("“%(title)s” was already released.") % {"title": upload.title})
    return redirect("portal_unreleased_uploads")


@hooks.register("register_admin_urls")
def register_release_urls():
    return [
        path("uploads/unreleased/", unreleased_uploads, name="portal_unreleased_uploads"),
        path("uploads/release/<str:kind>/<int:pk>/", release_upload, name="portal_release_upload"),
    ]


class ReleaseMenuItem(MenuItem):
    def is_shown(self, request):
        return media.can_release(request.user)


@hooks.register("register_admin_menu_item")
def register_release_menu_item():
    return ReleaseMenuItem(
        _("Unreleased uploads"), reverse("portal_unreleased_uploads"), icon_name="doc-full", order=450
    )
