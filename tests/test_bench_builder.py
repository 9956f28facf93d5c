"""The benchmark's bulk builder writes cases the site treats like any published case.

Only behaviour is checked here; the benchmark itself prints timings and asserts none.
"""

import pytest
from django.utils.html import escape
from wagtail.models import Page

from bench import builder
from cases.models import CaseIndexPage, CaseSource, CaseStudyPage

NO_TREE_PROBLEMS = ([], [], [], [], [])


def test_bulk_cases_are_live_children_of_the_catalogue_with_a_valid_tree(site_tree):
    ids = builder.add_cases(50, batch_size=20)

    assert len(ids) == 50
    assert Page.find_problems() == NO_TREE_PROBLEMS
    catalogue = CaseIndexPage.objects.get()
    assert catalogue.numchild == 50
    cases = CaseStudyPage.objects.published()
    assert cases.count() == 50
    assert set(cases.values_list("pk", flat=True)) == set(ids)
    assert set(catalogue.get_children().values_list("pk", flat=True)) == set(ids)
    case = cases.order_by("path").first()
    assert case.url == f"/cases/{case.slug}/"
    assert case.first_published_at is not None
    assert case.countries.exists() and case.tactics.exists()
    assert CaseSource.objects.filter(page=case).exists()


def test_bulk_cases_render_in_the_catalogue_and_on_their_own_pages(site_tree, client):
    builder.add_cases(50, batch_size=50)
    titles = [escape(title) for title in CaseStudyPage.objects.values_list("title", flat=True)]

    catalogue = client.get("/cases/").content.decode()
    assert sum(title in catalogue for title in titles) >= 10

    case = CaseStudyPage.objects.order_by("path").first()
    response = client.get(case.url)
    assert response.status_code == 200
    assert escape(case.title) in response.content.decode()
    assert escape(case.sources.first().publisher) in response.content.decode()


def test_a_second_bulk_run_and_an_ordinary_add_child_continue_the_same_tree(site_tree, case_factory):
    builder.add_cases(30, batch_size=30)
    builder.add_cases(20, batch_size=7)
    added_by_editor = case_factory(title="Added in the admin afterwards", slug="added-afterwards")

    assert Page.find_problems() == NO_TREE_PROBLEMS
    catalogue = CaseIndexPage.objects.get()
    assert catalogue.numchild == 51
    assert len(set(catalogue.get_children().values_list("path", flat=True))) == 51
    assert catalogue.get_children().last().pk == added_by_editor.pk


def test_bulk_cases_are_found_by_search_once_indexed(site_tree):
    ids = builder.add_cases(20)
    builder.index_cases(ids, chunk_size=8)

    case = CaseStudyPage.objects.order_by("path").first()
    actor_or_country = case.countries.first().name
    found = CaseStudyPage.objects.live().search(actor_or_country)  # the index, not the listing filter
    assert case.pk in {result.pk for result in found}


@pytest.mark.parametrize("total", [12])
def test_build_tops_the_catalogue_up_to_the_requested_number_only(site_tree, total):
    first = builder.build(total)
    again = builder.build(total)

    assert first["added"] == total
    assert again["added"] == 0 and again["existing"] == total
    assert CaseStudyPage.objects.published().count() == total
