"""The golden set: what people remember about an incident finds it in the top three, on both databases.

Queries are the half-remembered fragments the public types; each names the demo case or guide
(its slug) that must come in the first three results of run_search over the real demo data.
"""

import pytest

from search.queries import run_search

GOLDEN = [
    ("Macron leaks", "fr-2017-macron-leaks"),
    ("Kenya Cambridge Analytica", "ke-2017-cambridge-analytica"),
    ("deepfake Slovakia audio", "sk-2023-audio-deepfake"),
    ("Internet Research Agency", "us-2016-ira-social-media"),
    ("WhatsApp Brazil 2018", "br-2018-whatsapp-bulk-messaging"),
    ("Veles fake news sites", "mk-2016-veles-fake-news-sites"),
    ("Macedonia name referendum boycott", "mk-2018-name-referendum"),
    ("CyberBerkut election commission", "ua-2014-cec-cyberattack"),
    ("rent Facebook accounts Ukraine", "ua-2019-facebook-account-rentals"),
    ("Mexico bots 2018", "mx-2018-bots-and-disinformation"),
    ("Kenya TikTok paid Twitter", "ke-2021-disinformation-for-hire"),
    ("Taiwan airport evacuation", "tw-2018-local-elections"),
    ("Taiwan 2024 AI video", "tw-2024-presidential"),
    ("Erdogan doctored video", "tr-2023-doctored-campaign-videos"),
    ("GRU hack DNC emails", "us-2016-gru-hack-and-leak"),
    ("Ghostwriter Bundestag phishing", "de-2021-ghostwriter"),
    ("leaked trade documents Reddit", "gb-2019-leaked-trade-documents"),
    ("Montenegro coup", "me-2016-coup-plot"),
    ("Philippines trolls Duterte", "ph-2016-troll-networks"),
    ("Saracen Jakarta", "id-2017-saracen-jakarta"),
    ("South Korea intelligence comments", "kr-2012-nis-comment-campaign"),
    ("Archimedes Group Nigeria", "archimedes-group-2019"),
    ("Madagascar Russian consultants", "mg-2018-russian-consultants"),
    ("Prigozhin Africa Facebook", "prigozhin-africa-networks-2019"),
    ("CLS Strategies Bolivia", "cls-strategies-2020"),
    ("Proud Boys emails Iran", "us-2020-iran-proud-boys-emails"),
    ("PeaceData freelancers", "us-2020-peace-data"),
    ("Iran hack Trump campaign 2024", "us-2024-iran-trump-campaign-hack"),
    ("Doppelganger cloned news sites", "doppelganger-2022"),
    ("Portal Kombat", "portal-kombat-2024"),
    ("Voice of Europe payments", "voice-of-europe-2024"),
    ("Moldova vote buying", "md-2024-vote-buying"),
    ("Romania annulled election TikTok", "ro-2024-presidential-annulled"),
    ('"hack-and-leak" campaign protection', "protect-campaigns-from-hack-and-leak"),
    # With several deepfake cases in the record, "deepfakes" alone rightly finds cases first; people
    # looking for the guide name it by its subject.
    ("guide to deepfakes and synthetic media", "deepfakes-and-synthetic-media"),
    ("post-election audit", "post-election-audits"),
    ("prebunking", "prebunking-and-media-literacy"),
    ("fact-checking coalition", "fact-checking-coalitions"),
]


def slugs_of(results):
    return [result.url.rstrip("/").rsplit("/", 1)[-1] for result in results]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), GOLDEN, ids=[q for q, _ in GOLDEN])
def test_golden_query_finds_its_case_in_the_top_three(demo_data, query, expected):
    top = slugs_of(run_search(query).results[:3])
    assert expected in top, f"{query!r}: expected {expected} in the top 3, got {top}"


def test_golden_set_is_large_enough():
    assert len(GOLDEN) >= 25
