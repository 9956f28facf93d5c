"""The admin's own sentences in the editor's admin language: the "Reviews due" report, the sourcing check on
the edit form, the review and upload messages. (The public interface: test_interface_translations.py.)

Wagtail activates the language an editor chose in their account (`preferred_language`) for every admin view,
so each test sets it and reads the page as that editor would; the English text is checked where it must stay.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from cases.dates import day_display
from cases.sourcing import check_sourcing
from portal.review_admin import reviewed_refusal
from portal.reviews import today
from portal.tests.test_moderation import draft_case
from tests.factories import upload_document

pytestmark = pytest.mark.django_db


def speaks(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def test_the_sourcing_problem_and_warning_read_in_french_and_spanish_and_stay_english_otherwise():
    sources = [("Reuters", "media"), ("Wikipedia", "media")]
    with translation.override("fr"):
        check = check_sourcing(sources, "official")
        assert check.problems == [
            "Il faut des sources d’au moins 2 éditeurs indépendants ; ce cas en a 1 (Reuters). Les encyclopédies "
            "comme Wikipédia ou Britannica et les sources de type « Ouvrage de référence » ne comptent pas, et une "
            "reprise (« X (via Y) ») compte pour son éditeur d’origine X."
        ]
        assert check.warnings[0].startswith("L’attribution est de niveau « officielle », mais aucune source citée")
        assert (
            check_sourcing([], "platform")
            .problems[0]
            .startswith("Il faut des sources d’au moins 2 éditeurs indépendants ; ce cas en a 0 (aucun).")
        )
    with translation.override("es"):
        check = check_sourcing(sources, "judicial")
        assert check.problems[0].startswith(
            "Se necesitan fuentes de al menos 2 editores independientes; este caso tiene 1 (Reuters)."
        )
        assert "«Oficial» o «Documento judicial»" in check.warnings[0]
    with translation.override("en-gb"):
        check = check_sourcing(sources, "official")
        assert check.problems[0].startswith(
            "Sources from at least 2 independent publishers are needed; this case has 1 (Reuters). Encyclopaedias"
        )
        assert check.warnings[0].startswith("The attribution is official, but no cited source")


def test_the_sourcing_panel_on_the_edit_form_speaks_the_editors_language(client, people):
    case = draft_case(people["contributor"], sources=1)
    client.force_login(speaks(people["contributor"], "fr"))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk])).content.decode()
    assert "Vérification des sources" in html
    assert "Ce cas ne peut pas encore être approuvé ni publié." in html
    assert "ce cas en a 1 (Publisher 1)" in html
    assert "This case cannot be approved or published yet." not in html
    assert "Sources from at least" not in html


def test_the_reviews_due_report_in_french(client, people, case_factory):
    on = today()
    case_factory(title="Never reviewed case")
    case_factory(title="Long overdue case", last_reviewed=on - datetime.timedelta(days=500))
    client.force_login(speaks(people["reviewer"], "fr"))
    html = client.get(reverse("portal_reviews_due")).content.decode()
    assert "Relectures à faire" in html
    assert "Cas et guides publiés dont la relecture par la commission est due dans les 30 jours" in html
    assert "Pas encore relu" in html and "Jamais" in html
    assert re.search(r"En retard de \d+ jours", html)
    assert "2 pages à relire au " in html
    for english in ("Not yet reviewed", "Overdue by", "Last reviewed", "Never-reviewed pages come first"):
        assert english not in html


def test_the_reviews_due_report_in_spanish_writes_its_dates_in_running_text(client, people, case_factory):
    case_factory(title="Never reviewed case")
    client.force_login(speaks(people["reviewer"], "es"))
    html = client.get(reverse("portal_reviews_due")).content.decode()
    with translation.override("es"):
        as_of = day_display(today())
    assert " de " in as_of
    assert f"1 página pendiente de revisión a {as_of}" in html
    assert "Aún no revisado" in html


def test_reviewed_no_change_refusal_and_message_in_french(client, people, case_factory):
    case = case_factory(title="Draft only", publish=False)
    with translation.override("fr"):
        assert reviewed_refusal(case) == (
            "Seule une page publiée peut être relue sans modification ; envoyez un brouillon dans le circuit de "
            "validation."
        )
    client.force_login(speaks(people["reviewer"], "fr"))
    response = client.post(reverse("portal_reviewed_no_change", args=[case.pk]), follow=True)
    html = response.content.decode()
    assert "« Draft only » n’a pas été marqué comme relu." in html
    assert "was not marked as reviewed" not in html


def test_the_unreleased_uploads_page_and_its_release_message_in_spanish(client, people):
    document = upload_document(title="Leaked memo")
    client.force_login(speaks(people["admin"], "es"))
    html = client.get(reverse("portal_unreleased_uploads")).content.decode()
    assert "Archivos no publicados" in html
    assert "Los archivos subidos solo son públicos cuando una página publicada los usa" in html
    assert "Hacer público «Leaked memo»" in html and "Imágenes" in html
    assert "Uploads are public only once" not in html
    response = client.post(reverse("portal_release_upload", args=["document", document.pk]), follow=True)
    assert "«Leaked memo» se ha hecho público: el público ya puede descargarlo." in response.content.decode()
