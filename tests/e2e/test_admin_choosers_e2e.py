"""The case form's long lists in Chromium: a contributor filters 249 countries by typing, ticks
two, and neither click drops the other (the bare multi-select used to)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cases.models import CaseIndexPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_country_checkboxes_filter_by_typed_text_and_keep_every_tick(page, site_tree):
    get_user_model().objects.create_superuser("ada", "ada@example.org", "pw-for-tests")
    parent = CaseIndexPage.objects.get()
    page.goto(page.base + reverse("wagtailadmin_login"))
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    page.goto(page.base + reverse("wagtailadmin_pages:add", args=["cases", "casestudypage", parent.pk]))
    page.get_by_role("tab", name="Classification").click()
    countries = page.locator("#id_countries")
    box = countries.get_by_role("searchbox", name="Filter the country list")
    box.fill("ivo")  # accents ignored: finds Côte d'Ivoire
    visible = countries.locator("li:visible")
    assert visible.count() == 1
    assert "Côte d" in visible.inner_text()
    visible.get_by_role("checkbox").check()
    box.fill("kenya")
    countries.locator("li:visible").get_by_role("checkbox").check()
    box.fill("")
    assert countries.locator("li:visible").count() == 249
    assert countries.locator("input:checked").count() == 2
    assert "2 selected." in countries.locator(".checkbox-filter__count").inner_text()
    # Techniques come grouped by DISARM tactic, and say they are derived when none is ticked.
    assert page.locator("#id_disarm_techniques legend", has_text="TA06 Develop Content").count() == 1
    assert page.get_by_text("Leave empty to use the techniques of the tactics ticked above").is_visible()
