"""Guide pages show their checklist, programmes and the cases behind them; the list filters."""

import pytest

from guides.models import Audience, GuidePage, Programme, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(guide_factory, case_factory):
    case = case_factory(title="Macron leaks case", countries=("FR",))
    draft_case = case_factory(title="Unpublished case", publish=False)
    topic = Topic.objects.create(slug="cybersecurity", name="Cybersecurity")
    programme = Programme.objects.create(
        slug="c2pa", name="C2PA", run_by="Adobe, Microsoft and others", started=2021, url="https://c2pa.org/"
    )
    page = guide_factory(
        title="Protecting campaigns from hack-and-leak",
        summary="For campaign managers: stop credential theft and plan for leaks.",
        threats=("hack-and-leak",),
        related_cases=[case, draft_case],
        checklist=[
            (
                "item",
                {
                    "item": "Require security keys",
                    "why": "Passwords alone get stolen.",
                    "owner": "IT lead",
                    "verify": "Admin console shows full enrolment.",
                },
            )
        ],
    )
    page.audiences = [Audience.objects.get(slug="campaigns")]
    page.topics = [topic]
    page.programmes = [programme]
    page.save_revision().publish()
    return page


def test_guide_page_shows_checklist_programmes_and_published_cases(client, guide):
    html = client.get(guide.url).content.decode()
    assert "Protecting campaigns from hack-and-leak" in html
    assert "Require security keys" in html and "Admin console shows full enrolment." in html
    assert "<dt>Owner</dt><dd>IT lead</dd>" in html
    assert 'href="https://c2pa.org/"' in html and "since 2021" in html
    assert "Macron leaks case" in html
    assert "Unpublished case" not in html
    assert 'href="/cases/?tactic=hack-and-leak"' in html


def test_case_page_links_back_to_guides_that_cite_it(client, guide):
    case = guide.related_cases.get(title="Macron leaks case")
    assert guide.title in client.get(case.url).content.decode()


def test_guide_list_filters_by_audience_topic_and_phase(client, guide, guide_factory):
    guide_factory(title="Guide for platforms")
    everything = client.get("/guides/").content.decode()
    assert "Protecting campaigns" in everything and "Guide for platforms" in everything
    filtered = client.get("/guides/?audience=campaigns").content.decode()
    assert "Protecting campaigns" in filtered and "Guide for platforms" not in filtered
    filtered = client.get("/guides/?topic=cybersecurity").content.decode()
    assert "Guide for platforms" not in filtered and "1 guide" in filtered


def test_guide_list_explains_unknown_filter_values(client, guide):
    response = client.get("/guides/?audience=astronauts")
    assert response.status_code == 200
    assert "not recognised" in response.content.decode()


def test_draft_guides_are_not_listed(client, guide_factory):
    guide_factory(title="Draft guide", publish=False)
    assert "Draft guide" not in client.get("/guides/").content.decode()
    assert GuidePage.objects.published().count() == 0


def test_importing_guides_before_their_cases_links_the_cases_on_the_next_run(site_tree, case_factory):
    from guides.importer import import_guides

    data = {
        "guides": [
            {
                "key": "leak-response",
                "title": "Answering a leak",
                "summary": "What to do in the first hours after stolen documents appear.",
                "body": "First paragraph.\n\nSecond paragraph.",
                "cases": ["fr-2017-macron-leaks"],
            }
        ]
    }
    assert import_guides(data) == 1
    assert import_guides(data) == 0  # nothing new: nothing changes
    case_factory(title="Macron leaks", slug="fr-2017-macron-leaks", countries=("FR",))
    assert import_guides(data) == 1
    guide = GuidePage.objects.get(slug="leak-response")
    assert [case.slug for case in guide.related_cases.all()] == ["fr-2017-macron-leaks"]
    assert GuidePage.objects.published().filter(slug="leak-response").exists()
