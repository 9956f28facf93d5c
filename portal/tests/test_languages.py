"""The portal in three languages: French and Spanish interface, translated pages, English fallback."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from wagtail.models import Locale, Page, WorkflowPage

from cases.models import CaseIndexPage, CaseStudyPage
from guides.models import GuidePage
from portal.moderation import WORKFLOW_NAME, ensure_moderation
from portal.site_tree import ensure_site_tree, ensure_translated_tree
from portal.translation_import import TranslationFileError, import_translations
from tests.factories import make_case, make_guide
from tests.shared_data import shared_fixture

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "translations"
DEMO_TRANSLATIONS = Path(__file__).parents[1] / "demo" / "translations"


def load(language_code):
    with (FIXTURES / f"{language_code}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture
def translated(translated_rows, site_tree):
    """Three English cases and a guide; one case, the guide and the home page translated from the fixtures.

    Read afresh for each test, so that a change one test makes to them never reaches the next.
    """
    return {name: Page.objects.get(pk=pk).specific for name, pk in translated_rows.items()}


def build_translated():
    ensure_site_tree()
    ensure_translated_tree()
    ensure_moderation()
    rigged = make_case(
        title="Rigged ballot boxes in Nairobi",
        slug="rigged-ballots",
        summary="Rigged ballots were reported at several polling stations.",
        body=[
            {"type": "heading", "value": "What happened"},
            {"type": "paragraph", "value": "<p>Observers reported rigged ballot boxes at three polling stations.</p>"},
            {"type": "paragraph", "value": "<p>The commission has not checked this second paragraph.</p>"},
        ],
    )
    plain = make_case(title="An untranslated case", slug="untranslated-case")
    third = make_case(title="A third case", slug="third-case")
    guide = make_guide(
        title="Securing campaign accounts",
        slug="securing-accounts",
        checklist=[
            {
                "type": "item",
                "value": {
                    "item": "Turn on two-step sign-in",
                    "why": "A stolen password is not enough.",
                    "owner": "IT lead",
                    "verify": "Try signing in.",
                },
            },
            {
                "type": "item",
                "value": {
                    "item": "Keep a list of accounts",
                    "why": "You cannot protect what you forget.",
                    "owner": "",
                    "verify": "",
                },
            },
        ],
    )
    for code in ("fr", "es"):
        import_translations(load(code), code)
    return {"rigged": rigged.pk, "plain": plain.pk, "third": third.pk, "guide": guide.pk}


# {name: page id} of the pages above, built once for the file's tests that use them (tests/shared_data.py).
translated_rows = shared_fixture("translated_rows", build_translated)


def text(response):
    return response.content.decode()


def test_french_and_spanish_home_pages_speak_their_language(client, translated):
    french = text(client.get("/fr/"))
    assert '<html lang="fr">' in french
    assert "Aller au contenu" in french and "Derniers cas" in french and "Parcourir le catalogue" in french
    assert "<h1>Portail de l&#x27;intégrité électorale</h1>" in french  # the translated home page's own title
    spanish = text(client.get("/es/"))
    assert '<html lang="es">' in spanish
    assert "Ir al contenido" in spanish and "Últimos casos" in spanish
    english = text(client.get("/"))
    assert '<html lang="en-gb">' in english and "Skip to content" in english and "Aller au contenu" not in english


def test_the_catalogue_and_guide_list_introduce_themselves_in_each_language(client, translated):
    for code in ("fr", "es"):  # the demo's own translations of the listings (portal/demo/translations)
        with (DEMO_TRANSLATIONS / f"{code}.yaml").open(encoding="utf-8") as handle:
            assert import_translations({"pages": yaml.safe_load(handle)["pages"]}, code) == 3
    cache.clear()
    french, spanish = text(client.get("/fr/cases/")), text(client.get("/es/guides/"))
    assert "Tous les cas publiés d'ingérence électorale, à filtrer par pays" in french
    assert "Every published case of election interference" not in french
    assert "Orientaciones prácticas para autoridades electorales" in spanish
    assert "Every published case of election interference" in text(client.get("/cases/"))


def test_language_switcher_and_alternates_point_at_the_same_page(client, translated):
    page = text(client.get("/fr/cases/?country=KE"))
    switcher = re.search(r'<nav class="language-switcher" aria-label="Langue">(.*?)</nav>', page, re.S).group(1)
    assert '<a href="/cases/?country=KE" lang="en-gb" hreflang="en-gb">English</a>' in switcher
    assert '<a href="/fr/cases/?country=KE" lang="fr" hreflang="fr" aria-current="true">Français</a>' in switcher
    assert '<a href="/es/cases/?country=KE" lang="es" hreflang="es">Español</a>' in switcher
    for code, path in (("en-gb", "/cases/"), ("fr", "/fr/cases/"), ("es", "/es/cases/")):
        assert re.search(rf'<link rel="alternate" hreflang="{code}" href="http://[^"]+{path}\?country=KE">', page)
    assert re.search(r'<link rel="alternate" hreflang="x-default" href="http://[^"/]+(:\d+)?/cases/">', page)


def test_french_catalogue_lists_every_case_once_with_translated_titles(
    client, translated, django_assert_max_num_queries
):
    english = text(client.get("/cases/"))
    with django_assert_max_num_queries(40):
        french = text(client.get("/fr/cases/"))
    count = re.compile(r'<p class="result-count"[^>]*><strong>(\d+)</strong>')
    assert count.search(english).group(1) == count.search(french).group(1) == "3"
    assert "3</strong> cas" in french and "Filtrer les cas" in french
    assert '<a href="/fr/cases/rigged-ballots/">Des urnes truquées à Nairobi</a>' in french
    assert '<a href="/fr/cases/untranslated-case/">An untranslated case</a>' in french
    assert "Rigged ballot boxes in Nairobi" not in french
    spanish = text(client.get("/es/cases/"))
    assert count.search(spanish).group(1) == "3" and "Urnas manipuladas en Nairobi" in spanish


def test_translated_case_shows_its_french_text_and_keeps_everything_else(client, translated):
    page = text(client.get("/fr/cases/rigged-ballots/"))
    assert "<h1>Des urnes truquées à Nairobi</h1>" in page
    assert "Des observateurs ont signalé des urnes truquées dans trois bureaux de vote." in page
    assert "The commission has not checked this second paragraph." in page  # not in the file: stays English
    assert "What happened" in page  # a heading block, untouched
    assert "Faits essentiels" in page and "Sources" in page
    assert "pas encore disponible" not in page
    french = CaseStudyPage.objects.get(slug="rigged-ballots", locale__language_code="fr")
    english = translated["rigged"]
    assert french.live and french.translation_key == english.translation_key
    assert [b.id for b in french.body] == [b.id for b in english.body]
    assert set(french.countries.values_list("code", flat=True)) == {"KE"}
    assert french.sources.count() == english.sources.count() == 2


def test_untranslated_case_falls_back_to_english_with_a_notice(client, translated):
    response = client.get("/fr/cases/untranslated-case/")
    assert response.status_code == 200
    page = text(response)
    assert "Cette page n’est pas encore disponible en français ; la voici en anglais." in page
    assert "<h1>An untranslated case</h1>" in page and "Faits essentiels" in page
    spanish = text(client.get("/es/cases/third-case/"))
    assert "Esta página aún no está disponible en español; aquí está en inglés." in spanish
    assert client.get("/fr/cases/no-such-case/").status_code == 404


def test_translated_guide_keeps_owners_and_checks_of_its_checklist(client, translated):
    page = text(client.get("/fr/guides/securing-accounts/"))
    assert "<h1>Sécuriser les comptes de campagne</h1>" in page
    assert "Activer la double authentification sur chaque compte" in page
    assert "IT lead" in page and "Try signing in." in page  # owner and check stay as in English
    assert "Keep a list of accounts" in page  # the second item is not in the file
    assert "Liste de contrôle" in page and "Pourquoi" in page


def test_exports_and_api_count_each_case_once(client, translated):
    assert CaseStudyPage.objects.live().count() == 5  # 3 English, 1 French, 1 Spanish
    for url in ("/cases/export.json", "/fr/cases/export.json"):
        body = json.loads(b"".join(client.get(url).streaming_content))
        assert body["count"] == len(body["results"]) == 3, url
    api = client.get("/api/v1/cases/").json()
    assert api["count"] == 3
    assert GuidePage.objects.published().count() == 1


def test_translations_go_through_the_commission_review(translated):
    fr_cases = CaseIndexPage.objects.get(locale__language_code="fr")
    assert WorkflowPage.objects.filter(page=fr_cases, workflow__name=WORKFLOW_NAME).exists()
    french = CaseStudyPage.objects.get(slug="rigged-ballots", locale__language_code="fr")
    assert french.get_workflow().name == WORKFLOW_NAME


def test_a_translation_in_review_is_not_public(client, translated, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    original = translated["plain"]
    draft = original.copy_for_translation(Locale.objects.get(language_code="fr")).specific
    draft.title = "Une traduction pas encore relue"
    draft.save_revision(user=editor)
    draft.get_workflow().start(draft, editor)
    assert not CaseStudyPage.objects.get(pk=draft.pk).live
    cache.clear()
    for url in ("/fr/cases/", "/fr/cases/untranslated-case/", "/fr/"):
        assert "pas encore relue" not in text(client.get(url)), url
    assert "pas encore disponible en français" in text(client.get("/fr/cases/untranslated-case/"))


def test_loading_translations_again_adds_no_revision_and_missing_keys_keep_english(translated):
    french = CaseStudyPage.objects.get(slug="rigged-ballots", locale__language_code="fr")
    revisions = french.revisions.count()
    import_translations(load("fr"), "fr")
    assert french.revisions.count() == revisions
    spanish = CaseStudyPage.objects.get(slug="rigged-ballots", locale__language_code="es")
    assert list(spanish.body.get_prep_value()) == list(translated["rigged"].body.get_prep_value())  # no body in es.yaml
    with pytest.raises(TranslationFileError, match="no English page with slug nowhere"):
        import_translations({"cases": {"nowhere": {"title": "Nulle part"}}}, "fr")
    skipped = []  # load_demo goes on without the unknown page, and says so
    data = {"cases": {"nowhere": {"title": "Nulle part"}, "third-case": {"title": "Un troisième cas"}}}
    assert import_translations(data, "fr", on_missing=skipped.append) == 1
    assert skipped == ["cases: no English page with slug nowhere"]


def test_load_demo_translations_command_reads_a_folder(site_tree):
    make_case(title="Rigged ballot boxes in Nairobi", slug="rigged-ballots")
    make_guide(title="Securing campaign accounts", slug="securing-accounts")
    out = StringIO()
    call_command("load_demo_translations", "--dir", str(FIXTURES), stdout=out)
    out = out.getvalue()
    assert "fr: 3 pages translated" in out and "es: 2 pages translated" in out
    assert CaseStudyPage.objects.filter(locale__language_code="es", live=True).count() == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="stemming needs PostgreSQL text search")
def test_french_search_finds_a_stemmed_word_in_a_translated_case(client, translated):
    assert connection.vendor == "postgresql"
    # "truquer" is in no page; the French translation says "truquées", which French stemming matches.
    french = text(client.get("/fr/search/?q=truquer"))
    assert "Rigged ballot boxes in Nairobi" in french or "Des urnes truquées à Nairobi" in french
    assert "1 résultat pour « truquer »" in french
    english = text(client.get("/search/?q=truquer"))
    assert "Rigged ballot boxes" not in english
    spanish = text(client.get("/es/search/?q=manipular"))
    assert "1 resultado para «manipular»" in spanish


def test_french_country_page_lists_cases_by_their_translated_titles(client, translated):
    kenya = text(client.get("/fr/countries/kenya/"))
    assert '<a href="/fr/cases/rigged-ballots/">Des urnes truquées à Nairobi</a>' in kenya
    assert '<a href="/fr/cases/untranslated-case/">An untranslated case</a>' in kenya
    assert "Rigged ballot boxes in Nairobi" not in kenya
    assert 'href="/fr/cases/?country=KE"' in kenya  # the catalogue link keeps the language
    english = text(client.get("/countries/kenya/"))
    assert '<a href="/cases/rigged-ballots/">Rigged ballot boxes in Nairobi</a>' in english
    assert 'href="/cases/?country=KE"' in english


def test_french_search_results_show_the_translated_title_and_link(client, translated):
    titles = re.compile(r'<h3 class="result__title"><a href="([^"]+)">(.*?)</a></h3>')
    french = dict(titles.findall(text(client.get("/fr/search/?q=Nairobi"))))
    assert french["/fr/cases/rigged-ballots/"] == "Des urnes truquées à <mark>Nairobi</mark>"
    english = dict(titles.findall(text(client.get("/search/?q=Nairobi"))))
    assert english["/cases/rigged-ballots/"] == "Rigged ballot boxes in <mark>Nairobi</mark>"


def test_french_election_watch_shows_translated_cases_and_french_dates(client, translated, monkeypatch):
    import datetime

    from cases.models import Country
    from elections.models import Election

    monkeypatch.setattr("elections.models.today", lambda: datetime.date(2026, 11, 26))
    Election.objects.create(
        country=Country.objects.get(code="KE"),
        date=datetime.date(2027, 8, 10),
        election_type="general",
        source_title="Roadmap",
        source_publisher="IEBC",
        source_url="https://example.org/roadmap",
        source_accessed=datetime.date(2026, 11, 26),
        live=True,
    )
    french = text(client.get("/fr/elections/"))
    assert '<time datetime="2027-08-10">10 août 2027</time>' in french
    assert '<a href="/fr/cases/rigged-ballots/">Des urnes truquées à Nairobi</a>' in french
    assert "Seen before in" not in french and "Guides to prepare" not in french
    spanish = text(client.get("/es/elections/"))
    assert '<time datetime="2027-08-10">10 de agosto de 2027</time>' in spanish
