"""import_cases refuses records that YAML has cut at a comma, and keeps each record's verified claims.

The records are written as YAML text, unquoted, exactly as the research file once had them: the point is
what YAML makes of them, not what a hand-built dict would look like.
"""

import textwrap

import pytest
from django.core.management import CommandError, call_command

from cases.models import Actor, CaseStudyPage

pytestmark = pytest.mark.django_db

RECORD = """\
- key: {key}
  label: "A case for the split checks"
  countries: [CZ]
  period: {{first_seen: 2024-03}}
  origin: foreign
  actors:
    - {actor}
  attribution: {{status: official, by: {by}, confidence: medium}}
  sources:
    - {{publisher: Ukrainska Pravda, title: "Czechia sanctions Medvedchuk", url: "https://example.org/one"}}
    - {{publisher: Kyiv Independent, title: "EU sanctions Medvedchuk", url: "https://example.org/two"}}
{extra}"""
GOOD_ACTOR = '{name: "Voice of Europe (Viktor Medvedchuk, Artem Marchevskyi)", actor_type: non-state-group}'
GOOD_BY = '["Government of the Czech Republic", "Fact-checkers (Teyit, Doğruluk Payı)"]'


def write(tmp_path, key, actor=GOOD_ACTOR, by=GOOD_BY, extra=""):
    path = tmp_path / "cases.yaml"
    extra = textwrap.indent(textwrap.dedent(extra), "  ")
    path.write_text(RECORD.format(key=key, actor=actor, by=by, extra=extra), encoding="utf-8")
    return str(path)


def rejected(tmp_path, capsys, **record):
    with pytest.raises(CommandError, match="1 record"):
        call_command("import_cases", write(tmp_path, **record))
    assert not CaseStudyPage.objects.exists() and not Actor.objects.exists()
    return capsys.readouterr().err


def test_quoted_names_import_whole(tmp_path, site_tree, capsys):
    call_command("import_cases", write(tmp_path, "xx-quoted"), "--publish")
    case = CaseStudyPage.objects.get(slug="xx-quoted")
    assert [actor.name for actor in case.actors.all()] == ["Voice of Europe (Viktor Medvedchuk, Artem Marchevskyi)"]
    assert case.attributed_by == "Government of the Czech Republic; Fact-checkers (Teyit, Doğruluk Payı)"
    err = capsys.readouterr().err
    assert "not imported" not in err and "draft" not in err  # whole names, published (the only note: no primary source)


def test_actor_mapping_split_inside_brackets_is_refused_with_a_hint(tmp_path, site_tree, capsys):
    actor = "{name: Voice of Europe (Viktor Medvedchuk, Artem Marchevskyi), actor_type: non-state-group, country: RU}"
    err = rejected(tmp_path, capsys, key="xx-split-actor", actor=actor)
    assert "xx-split-actor: not imported" in err
    assert "actor 1 ('Voice of Europe (Viktor Medvedchuk')" in err
    assert "'name' 'Voice of Europe (Viktor Medvedchuk' has unbalanced brackets" in err
    assert "key 'Artem Marchevskyi)' with no value" in err
    assert "double quotes" in err


def test_actor_mapping_split_without_brackets_is_refused(tmp_path, site_tree, capsys):
    actor = "{name: Website operators in Veles, North Macedonia, actor_type: individuals, country: MK}"
    err = rejected(tmp_path, capsys, key="xx-veles", actor=actor)
    assert "actor 1 ('Website operators in Veles') has a key 'North Macedonia' with no value" in err


def test_fragment_key_after_a_closed_bracket_is_refused(tmp_path, site_tree, capsys):
    actor = "{name: APT28 (GRU Unit 26165), suspected of earlier phishing, actor_type: state-intelligence, country: RU}"
    err = rejected(tmp_path, capsys, key="xx-apt28", actor=actor)
    assert "key 'suspected of earlier phishing' with no value" in err


def test_unbalanced_bracket_in_a_quoted_name_is_refused(tmp_path, site_tree, capsys):
    actor = '{name: "Democratic Front leaders (convicted", actor_type: political-party-or-campaign, country: ME}'
    err = rejected(tmp_path, capsys, key="xx-unbalanced", actor=actor)
    assert "'Democratic Front leaders (convicted' has unbalanced brackets" in err


def test_attributed_by_split_inside_brackets_is_refused(tmp_path, site_tree, capsys):
    split_by = "[Fact-checkers (Teyit, Doğruluk Payı), international media]"
    err = rejected(tmp_path, capsys, key="xx-split-by", by=split_by)
    assert "'attribution.by' entry 'Fact-checkers (Teyit' has unbalanced brackets" in err
    assert "'attribution.by' entry 'Doğruluk Payı)' has unbalanced brackets" in err


def test_verified_claims_are_kept_without_an_unknown_key_warning(tmp_path, site_tree, capsys):
    extra = """\
      verified:
        - {claim: "Czechia sanctioned Voice of Europe on 27 March 2024", url: "https://example.org/one"}
    """
    call_command("import_cases", write(tmp_path, "xx-verified", extra=extra))
    case = CaseStudyPage.objects.get(slug="xx-verified")
    assert case.verified_claims == [
        {"claim": "Czechia sanctioned Voice of Europe on 27 March 2024", "url": "https://example.org/one"}
    ]
    assert "unknown key" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "verified, message",
    [
        ('[{claim: "A claim", url: "not a url"}]', "verified entry 1 has an invalid url 'not a url'"),
        ('[{claim: "", url: "https://example.org/one"}]', "verified entry 1 needs a 'claim'"),
        ('[{claim: Police said 15, 24 and 39 million, url: "https://example.org/one"}]', "unexpected keys 24 and"),
        ('"checked by hand"', "'verified' must be a list"),
    ],
)
def test_bad_verified_lists_are_refused(tmp_path, site_tree, capsys, verified, message):
    err = rejected(tmp_path, capsys, key="xx-bad-verified", extra=f"verified: {verified}\n")
    assert message in err
