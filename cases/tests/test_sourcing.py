"""The sourcing rule (cases/sourcing.py) and how `import_cases --publish` applies it.

The admin's side of the rule (approval and direct publishing refused) is in
portal/tests/test_publication_rules.py.
"""

import copy

import pytest
from django.core.management import CommandError, call_command

from cases.models import CaseStudyPage
from cases.sourcing import check_sourcing, original_publisher, publisher_key
from cases.tests.test_import_cases import GOOD, write

pytestmark = pytest.mark.django_db


def source(publisher, kind="media", n=1):
    return {"publisher": publisher, "title": f"Report {n}", "url": f"https://example.org/{n}", "kind": kind}


def record(*sources, key="xx-2022-test-operation", status="platform"):
    raw = copy.deepcopy(GOOD)
    raw["key"] = key
    raw["sources"] = [dict(s, url=f"https://example.org/{key}/{i}") for i, s in enumerate(sources)]
    raw["attribution"]["status"] = status
    return raw


# -- the rule ---------------------------------------------------------------------------------------------------


def test_two_independent_publishers_pass():
    check = check_sourcing([("Reuters", "media"), ("DFRLab", "research")], "independent")
    assert check.ok and check.publishers == ["Reuters", "DFRLab"] and not check.warnings


def test_the_same_publisher_twice_is_one_publisher_whatever_its_spelling():
    check = check_sourcing([("The Guardian", "media"), ("guardian", "media"), ("THE GUARDIAN.", "media")], "alleged")
    assert not check.ok
    assert "this case has 1 (The Guardian)" in check.problems[0]


def test_wikipedia_and_reference_works_do_not_count():
    check = check_sourcing([("Wikipedia", "media"), ("Reuters", "media")], "independent")
    assert not check.ok
    assert "Wikipedia" in check.problems[0] and "this case has 1 (Reuters)" in check.problems[0]
    assert not check_sourcing([("Encyclopædia Britannica", "media"), ("AP", "media")], "alleged").ok
    assert not check_sourcing([("Some Almanac", "reference"), ("AP", "media")], "alleged").ok


def test_a_copy_via_another_site_counts_as_its_original_publisher():
    assert original_publisher("Reuters (via National Post)") == "Reuters"
    assert publisher_key("Reuters (via National Post)") == publisher_key("reuters")
    # Two copies of Reuters on two sites are one publisher …
    assert not check_sourcing([("Reuters (via A News)", "media"), ("Reuters (via Yahoo)", "media")], "alleged").ok
    # … and Reuters carried by the National Post plus the National Post's own report are two.
    assert check_sourcing([("Reuters (via National Post)", "media"), ("National Post", "media")], "alleged").ok


def test_official_or_judicial_attribution_without_a_primary_source_is_a_warning_not_a_block():
    check = check_sourcing([("Reuters", "media"), ("AP", "media")], "official")
    assert check.ok
    assert "The attribution is official" in check.warnings[0]
    judicial = check_sourcing([("Reuters", "media"), ("AP", "media")], "judicial")
    assert "The attribution is judicial" in judicial.warnings[0]
    with_court = check_sourcing([("US Department of Justice", "court"), ("AP", "media")], "judicial")
    assert with_court.ok and not with_court.warnings
    assert not check_sourcing([("Reuters", "media"), ("AP", "media")], "platform").warnings


# -- the importer -----------------------------------------------------------------------------------------------


def test_a_record_with_one_independent_publisher_is_imported_as_a_draft_and_the_command_fails(
    tmp_path, site_tree, capsys, client
):
    thin = record(source("Reuters", n=1), source("Reuters (via Yahoo News)", n=2), key="xx-thin-case")
    good = record(source("Reuters", n=1), source("DFRLab", "research", n=2), key="xx-good-case")
    with pytest.raises(CommandError, match="not imported or not published"):
        call_command("import_cases", write(tmp_path, [thin, good]), "--publish")
    err = capsys.readouterr().err
    assert "xx-thin-case: imported as a draft, not published: Sources from at least 2 independent publishers" in err
    assert "this case has 1 (Reuters)" in err
    thin_page = CaseStudyPage.objects.get(slug="xx-thin-case")
    assert not thin_page.live and thin_page.revisions.count() == 1
    assert client.get("/cases/xx-thin-case/").status_code == 404
    assert CaseStudyPage.objects.get(slug="xx-good-case").live
    assert "xx-good-case" not in err


def test_wikipedia_plus_one_publisher_is_not_published(tmp_path, site_tree, capsys):
    raw = record(source("Wikipedia", "reference", n=1), source("The Korea Herald", n=2))
    with pytest.raises(CommandError):
        call_command("import_cases", write(tmp_path, [raw]), "--publish")
    assert "this case has 1 (The Korea Herald)" in capsys.readouterr().err
    assert not CaseStudyPage.objects.get(slug=raw["key"]).live


def test_official_attribution_without_a_primary_source_is_published_with_a_warning(tmp_path, site_tree, capsys):
    raw = record(source("Reuters", n=1), source("AP", n=2), status="official")
    call_command("import_cases", write(tmp_path, [raw]), "--publish")
    assert "xx-2022-test-operation: warning: The attribution is official" in capsys.readouterr().err
    assert CaseStudyPage.objects.get(slug=raw["key"]).live


def test_a_draft_import_only_notes_what_would_block_publication(tmp_path, site_tree, capsys):
    raw = record(source("Reuters", n=1))
    call_command("import_cases", write(tmp_path, [raw]))  # no --publish: not a failure
    assert "cannot be published yet" in capsys.readouterr().err


def test_loading_data_is_never_a_review(tmp_path, site_tree, capsys):
    raw = record(source("Reuters", n=1), source("AP", n=2))
    raw["last_reviewed"] = "2026-11-25"
    call_command("import_cases", write(tmp_path, [raw]), "--publish")
    assert CaseStudyPage.objects.get(slug=raw["key"]).last_reviewed is None
    assert "unknown key 'last_reviewed' ignored" in capsys.readouterr().err
