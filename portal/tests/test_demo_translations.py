"""The French and Spanish demo translations stay in step with the English demo data they translate.

The English comes from the same places load_demo reads (portal/site_tree.py for the home page,
guides/demo/guides.yaml, cases/demo/*.yaml), so these checks need no database: a renamed slug,
a checklist item added in English, a dropped link or a lost number fails here before the loader
would quietly show a half-translated page.
"""

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from portal import site_tree
from portal.models import HomePage

BASE = Path(settings.BASE_DIR)
TRANSLATIONS = BASE / "portal" / "demo" / "translations"
LANGUAGES = ["fr", "es"]
TITLE_MAX = 255  # Page.title
SUMMARY_MAX = 300  # CaseStudyPage.summary and GuidePage.summary


def _load(path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _paragraphs(text):
    """Body paragraphs exactly as the importers split them: blank-line separated, whitespace folded."""
    return [" ".join(p.split()) for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def english_cases():
    cases = {}
    for path in sorted((BASE / "cases" / "demo").glob("*.yaml")):
        data = _load(path)
        for row in data["cases"] if isinstance(data, dict) else data:
            cases[row["key"]] = row
    return cases


def english_guides():
    return {row["key"]: row for row in _load(BASE / "guides" / "demo" / "guides.yaml")["guides"]}


ENGLISH_HOME = {"title": "Election Integrity Portal", "intro": site_tree.HOME_INTRO, "about": site_tree.HOME_ABOUT}


def ten_most_sourced(cases, guides):
    """The rule the files state: most sources, then most linked from guides, then slug."""
    links = Counter(slug for guide in guides.values() for slug in guide.get("cases", []))
    ranked = sorted(cases, key=lambda slug: (-len(cases[slug].get("sources") or []), -links[slug], slug))
    return set(ranked[:10])


class _Markup(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.tags, self.hrefs = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs.extend(value for name, value in attrs if name == "href")

    def handle_endtag(self, tag):
        self.tags.append("/" + tag)


def _digits(text):
    # Digit runs survive French and Spanish number formatting (100,000 -> 100 000, 2.85 -> 2,85).
    return sorted(re.findall(r"\d+", text))


def pairs(english, translated, where):
    """(where, English text, translated text) for every translated string, walking both structures."""
    if isinstance(translated, dict):
        for key, value in translated.items():
            assert key in english, f"{where}: {key!r} is not in the English"
            yield from pairs(english[key], value, f"{where}.{key}")
    elif isinstance(translated, list):
        assert len(translated) == len(english), f"{where}: {len(translated)} entries, English has {len(english)}"
        for i, (en, tr) in enumerate(zip(english, translated, strict=True)):
            yield from pairs(en, tr, f"{where}[{i}]")
    else:
        assert isinstance(translated, str) and translated.strip(), f"{where}: empty or not text"
        yield where, " ".join(str(english).split()), translated


def english_counterpart(translation):
    """The English text in the same shape as a translation file."""
    cases, guides = english_cases(), english_guides()
    return {
        "home": ENGLISH_HOME,
        "pages": {
            "cases": {"intro": site_tree.CATALOGUE_INTRO},
            "guides": {"intro": site_tree.GUIDES_INTRO},
            "methodology": {"summary": site_tree.METHODOLOGY_SUMMARY},
        },
        "guides": {
            slug: {
                "title": guides[slug]["title"],
                "summary": guides[slug]["summary"],
                "checklist": [
                    {key: item[key] for key in ("item", "why", "owner", "verify") if item.get(key)}
                    for item in guides[slug]["checklist"]
                ],
            }
            for slug in translation["guides"]
            if slug in guides
        },
        "cases": {
            slug: {
                "title": cases[slug]["label"],
                "summary": cases[slug]["summary"],
                "body": _paragraphs(cases[slug].get("body") or "\n\n".join(cases[slug].get("facts") or [])),
            }
            for slug in translation["cases"]
            if slug in cases
        },
    }


@pytest.fixture(scope="module", params=LANGUAGES)
def translation(request):
    return request.param, _load(TRANSLATIONS / f"{request.param}.yaml")


def test_each_file_holds_the_home_page_the_listings_the_guides_and_cases(translation):
    _, data = translation
    assert set(data) == {"home", "pages", "guides", "cases"}
    assert set(data["pages"]) == {"cases", "guides", "methodology"}  # the listings' intros, methodology's summary
    assert set(data["home"]) <= {field.name for field in HomePage._meta.get_fields()}
    assert {"title", "intro", "about"} <= set(data["home"])


def test_every_slug_is_a_demo_page_and_every_guide_is_translated(translation):
    _, data = translation
    assert set(data["guides"]) == set(english_guides())
    assert set(data["cases"]) <= set(english_cases())


def test_the_cases_are_the_ten_with_the_most_sources(translation):
    _, data = translation
    assert set(data["cases"]) == ten_most_sourced(english_cases(), english_guides())


def test_guides_keep_every_checklist_item_in_order(translation):
    _, data = translation
    guides = english_guides()
    for slug, guide in data["guides"].items():
        assert {"title", "summary", "checklist"} <= set(guide), slug
        english = guides[slug]["checklist"]
        assert len(guide["checklist"]) == len(english), slug
        for mine, theirs in zip(guide["checklist"], english, strict=True):
            assert set(mine) == {key for key in ("item", "why", "owner", "verify") if theirs.get(key)}, slug


def test_cases_translate_title_summary_and_every_body_paragraph(translation):
    _, data = translation
    cases = english_cases()
    for slug, case in data["cases"].items():
        assert set(case) == {"title", "summary", "body"}, slug
        assert len(case["body"]) == len(_paragraphs(cases[slug]["body"])), slug


def test_translations_fit_the_fields_they_fill(translation):
    _, data = translation
    for kind in ("guides", "cases"):
        for slug, page in data[kind].items():
            assert len(page["title"]) <= TITLE_MAX, slug
            assert len(page["summary"]) <= SUMMARY_MAX, f"{slug}: summary has {len(page['summary'])} characters"


def test_markup_links_and_numbers_are_kept(translation):
    language, data = translation
    for where, english, translated in pairs(english_counterpart(data), data, language):
        assert translated != english or len(english) < 30, f"{where} is not translated"
        en_markup, tr_markup = _Markup(english), _Markup(translated)
        assert tr_markup.hrefs == en_markup.hrefs, where
        assert tr_markup.tags == en_markup.tags, where
        assert _digits(translated) == _digits(english), where


def test_french_and_spanish_translate_the_same_pages():
    fr, es = (_load(TRANSLATIONS / f"{language}.yaml") for language in LANGUAGES)
    assert set(fr["guides"]) == set(es["guides"])
    assert set(fr["cases"]) == set(es["cases"])
