"""Uploads stay private until a published page uses them or a reviewer releases them (portal/media.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry

from cases.models import CaseStudyPage
from portal.media import RELEASE_ACTION
from portal.moderation import CONTRIBUTORS, REVIEWERS, ensure_moderation
from tests.factories import body_using, make_case, upload_document, upload_image

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_on_disk")]


@pytest.fixture
def people(site_tree):
    ensure_moderation()
    people = {}
    for key, group in (("contributor", CONTRIBUTORS), ("reviewer", REVIEWERS)):
        user = get_user_model().objects.create_user(key, f"{key}@example.org", "pw")
        user.groups.add(Group.objects.get(name=group))
        people[key] = user
    return people


def fetch(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def test_an_upload_nobody_released_is_not_public_but_editors_see_it(client, people):
    document, image = upload_document(), upload_image()
    rendition = image.get_rendition("width-800")
    assert fetch(client, document.url)[0] == 404
    assert fetch(client, rendition.url)[0] == 404
    assert fetch(client, image.file.url)[0] == 404  # originals have no public URL at all
    assert fetch(client, f"/media/{document.file.name}")[0] == 404
    client.force_login(people["contributor"])
    assert fetch(client, document.url) == (200, b"the memo's text")
    status, body = fetch(client, rendition.url)
    assert status == 200 and body.startswith(b"\x89PNG")


def test_a_draft_that_uses_an_upload_does_not_release_it(client, people):
    document, image = upload_document(), upload_image()
    draft = make_case(publish=False, body=body_using(document, image))
    live = make_case(title="Live case", slug="live-case")
    live = CaseStudyPage.objects.get(pk=live.pk)
    live.body = body_using(document, image)
    live.save_revision()  # a new revision of a live page: the row (and so the public page) is unchanged
    assert not draft.live
    assert fetch(client, document.url)[0] == 404
    assert fetch(client, image.get_rendition("width-800").url)[0] == 404


def test_a_published_page_that_uses_an_upload_releases_it(client, people):
    document, image = upload_document(), upload_image()
    case = make_case(body=body_using(document, image))
    html = client.get(case.url).content.decode()
    assert document.url in html
    rendition = image.get_rendition("width-800")
    assert rendition.url in html
    assert fetch(client, document.url) == (200, b"the memo's text")
    assert fetch(client, rendition.url)[0] == 200
    assert fetch(client, image.file.url)[0] == 404  # the original stays private
    # Unpublished again, the page no longer makes them public.
    CaseStudyPage.objects.get(pk=case.pk).unpublish()
    assert fetch(client, document.url)[0] == 404
    assert fetch(client, rendition.url)[0] == 404


def test_a_reviewer_releases_an_upload_and_the_release_is_logged(client, people):
    document, image = upload_document(), upload_image()
    unreleased = reverse("portal_unreleased_uploads")
    client.force_login(people["contributor"])
    assert client.get(unreleased).status_code in (302, 403)
    response = client.post(reverse("portal_release_upload", args=["document", document.pk]))
    assert response.status_code in (302, 403) and not ModelLogEntry.objects.filter(action=RELEASE_ACTION).exists()
    client.force_login(people["reviewer"])
    listing = client.get(unreleased).content.decode()
    assert "Release “Leaked memo”" in listing and "Release “Leaked photo”" in listing
    for kind, upload in (("document", document), ("image", image)):
        response = client.post(reverse("portal_release_upload", args=[kind, upload.pk]))
        assert response.status_code == 302
    listing = client.get(unreleased).content.decode()
    assert "Release “Leaked memo”" not in listing and "Release “Leaked photo”" not in listing
    entries = ModelLogEntry.objects.filter(action=RELEASE_ACTION, user=people["reviewer"])
    assert sorted(entry.label for entry in entries) == ["Leaked memo", "Leaked photo"]
    client.logout()
    assert fetch(client, document.url) == (200, b"the memo's text")
    assert fetch(client, image.get_rendition("width-800").url)[0] == 200


def test_releasing_something_that_does_not_exist_is_a_clear_404(client, people):
    client.force_login(people["reviewer"])
    assert client.post(reverse("portal_release_upload", args=["document", 999999])).status_code == 404
    assert client.post(reverse("portal_release_upload", args=["video", 1])).status_code == 404
    assert client.get(reverse("portal_release_upload", args=["document", 1])).status_code == 405


def test_the_unreleased_uploads_page_says_which_a_page_made_public_in_constant_queries(
    client, people, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_case(body=body_using(upload_document("Used memo"), upload_image("Used photo")))
    upload_document("Unused memo")
    upload_image("Unused photo")
    url = reverse("portal_unreleased_uploads")
    client.force_login(people["reviewer"])
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    titles = ("Used memo", "Unused memo", "Used photo", "Unused photo")
    rows = {title: html.split(title, 1)[1].split("</tr>", 1)[0] for title in titles}
    assert ">Yes<" in rows["Used memo"] and ">No<" in rows["Unused memo"]
    assert ">Yes<" in rows["Used photo"] and ">No<" in rows["Unused photo"]
    for i in range(5):
        make_case(title=f"Case {i}", slug=f"case-{i}", body=body_using(upload_document(f"Memo {i}"), upload_image()))
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
