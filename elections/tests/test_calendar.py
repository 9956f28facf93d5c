"""The calendar itself: dates to the day or the month, the review it passes, the seed data and its sources."""

import datetime
import re
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.models import WorkflowContentType

from cases.models import Country
from elections.loader import load_elections
from elections.models import DatePrecision, Election, add_months
from portal.moderation import CONTRIBUTORS, REVIEWERS, WORKFLOW_NAME, ensure_moderation

DEMO = Path(__file__).resolve().parents[1] / "demo"


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 11, 26), 12) == datetime.date(2027, 11, 26)
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 12, 15), 1) == datetime.date(2027, 1, 15)


def make(day, precision=DatePrecision.DAY, **fields):
    fields.setdefault("election_type", "general")
    return Election(
        country=Country.objects.get(code="KE"),
        date=day,
        date_precision=precision,
        source_title="Calendar",
        source_publisher="Commission",
        source_url="https://example.org/calendar",
        source_accessed=datetime.date(2026, 11, 26),
        **fields,
    )


@pytest.mark.django_db
def test_a_month_only_date_is_kept_as_the_first_and_shown_as_the_month():
    election = make(datetime.date(2027, 3, 19), DatePrecision.MONTH)
    election.save()
    election.refresh_from_db()
    assert election.date == datetime.date(2027, 3, 1)
    assert election.date_display == "March 2027"
    assert make(datetime.date(2027, 3, 14)).date_display == "14 March 2027"


@pytest.mark.django_db
def test_an_election_is_over_after_its_day_or_its_month():
    today = datetime.date(2026, 11, 26)
    assert not make(datetime.date(2026, 11, 26)).is_over(today)
    assert make(datetime.date(2026, 11, 25)).is_over(today)
    assert not make(datetime.date(2026, 11, 1), DatePrecision.MONTH).is_over(today)
    assert make(datetime.date(2026, 10, 1), DatePrecision.MONTH).is_over(today)


@pytest.mark.django_db
def test_the_label_names_the_type_and_round():
    assert make(datetime.date(2027, 1, 1), election_type="presidential", round="second").label == (
        "Presidential election, second round"
    )
    assert make(datetime.date(2027, 1, 1), election_type="referendum").label == "Referendum"


@pytest.mark.django_db
def test_the_calendar_passes_the_commission_review_and_only_reviewers_publish():
    ensure_moderation()
    content_type = ContentType.objects.get_for_model(Election)
    assert WorkflowContentType.objects.get(content_type=content_type).workflow.name == WORKFLOW_NAME
    reviewers = set(
        Group.objects.get(name=REVIEWERS)
        .permissions.filter(content_type=content_type)
        .values_list("codename", flat=True)
    )
    contributors = set(
        Group.objects.get(name=CONTRIBUTORS)
        .permissions.filter(content_type=content_type)
        .values_list("codename", flat=True)
    )
    assert {"publish_election", "lock_election", "unlock_election", "change_election"} <= reviewers
    assert "add_election" in contributors and "publish_election" not in contributors


@pytest.mark.django_db
def test_a_new_election_saved_in_the_admin_is_a_draft(admin_client):
    from tests.snippets import add_snippet

    kenya = Country.objects.get(code="KE")
    response = add_snippet(
        admin_client,
        Election,
        country=str(kenya.pk),
        date="2027-08-10",
        date_precision="day",
        election_type="general",
        source_title="Roadmap",
        source_publisher="Commission",
        source_url="https://example.org/roadmap",
        source_accessed="2026-11-26",
    )
    assert response.status_code == 302, response.content[:2000]
    election = Election.objects.get(source_title="Roadmap")
    assert not election.live
    assert not Election.objects.live().exists()


def demo_records():
    with (DEMO / "elections.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.mark.django_db
def test_the_demo_calendar_loads_published_and_loading_it_again_changes_nothing():
    records = demo_records()
    assert len(records) >= 15
    assert load_elections(records) == (len(records), {})
    assert Election.objects.live().count() == len(records)
    assert load_elections(records) == (0, {})
    dates = [e.date for e in Election.objects.all()]
    assert min(dates) >= datetime.date(2026, 12, 1) and max(dates) <= datetime.date(2027, 12, 31)
    argentina = Election.objects.get(import_key="argentina-2027-presidential")
    assert argentina.date_display == "October 2027"


def test_the_demo_calendar_holds_at_least_fifteen_national_elections():
    """State and local elections held on one day across a country (Nigeria's governorships) do not count."""
    national = [r for r in demo_records() if r["type"] not in ("regional", "local")]
    assert len(national) >= 15, [r["key"] for r in national]
    assert all(datetime.date(2026, 12, 1) <= datetime.date.fromisoformat(str(r["date"])[:7] + "-01") for r in national)


def test_every_demo_election_has_its_confirming_words_in_sources_md():
    sources = (DEMO / "SOURCES.md").read_text(encoding="utf-8")
    rows = {row.split("|")[1].strip(): row for row in sources.splitlines() if row.startswith("| ") and "---" not in row}
    for record in demo_records():
        row = rows.get(record["key"])
        assert row, f"{record['key']} is not in SOURCES.md"
        assert record["source"]["url"] in row
        assert re.search(r'"[^"]+"', row), f"{record['key']} quotes no words from its page"


@pytest.mark.django_db
def test_a_bad_record_is_reported_with_its_key_and_nothing_of_it_is_saved():
    good = demo_records()[0]
    bad = [
        {**good, "key": "no-such-country", "country": "XX"},
        {**good, "key": "bad-date", "date": "2027-13"},
        {**good, "key": "no-source", "source": {}},
        {**good, "key": "bad-type", "type": "coronation"},
    ]
    changed, errors = load_elections(bad)
    assert changed == 0 and not Election.objects.exists()
    assert set(errors) == {"no-such-country", "bad-date", "no-source", "bad-type"}
    assert "unknown country" in errors["no-such-country"]
    assert "source.url" in errors["no-source"]
