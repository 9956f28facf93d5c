"""The names of the regions and vocabulary terms the portal ships with, for gettext to collect.

`manage.py makemessages` finds msgids in the source, not in the database: listing here every name that
cases/data/taxonomy.yaml, guides/demo/guides.yaml and cases/regions.py load puts them in locale/, where
they are translated; portal/names.py `term_name()` looks them up. A name added by an editor later is not
here and stays English. portal/tests/test_translated_names.py checks the list against those files.
"""

from django.utils.translation import gettext_noop

# Tactics (cases/data/taxonomy.yaml).
TACTICS = (
    gettext_noop("Hack-and-leak"),
    gettext_noop("Attack on election infrastructure"),
    gettext_noop("Phishing and account takeover"),
    gettext_noop("Fake accounts"),
    gettext_noop("Bot amplification"),
    gettext_noop("Troll farm"),
    gettext_noop("Fake news sites"),
    gettext_noop("Impersonation of media or institutions"),
    gettext_noop("Deepfake"),
    gettext_noop("Manipulated media"),
    gettext_noop("Paid influencers"),
    gettext_noop("Bulk messaging"),
    gettext_noop("Micro-targeting"),
    gettext_noop("Covert political advertising"),
    gettext_noop("Vote buying"),
    gettext_noop("Illicit financing"),
    gettext_noop("Voter suppression"),
    gettext_noop("Delegitimisation of the election"),
    gettext_noop("Harassment and intimidation"),
    gettext_noop("Front organisations"),
    gettext_noop("Political violence or coup"),
    gettext_noop("Content laundering"),
)

# Channels (cases/data/taxonomy.yaml).
CHANNELS = (
    gettext_noop("Facebook"),
    gettext_noop("Instagram"),
    gettext_noop("X (formerly Twitter)"),
    gettext_noop("TikTok"),
    gettext_noop("YouTube"),
    gettext_noop("WhatsApp"),
    gettext_noop("Telegram"),
    gettext_noop("VKontakte (VK)"),
    gettext_noop("Reddit"),
    gettext_noop("Websites and blogs"),
    gettext_noop("Television"),
    gettext_noop("Print and radio"),
    gettext_noop("Email"),
    gettext_noop("SMS / text messages"),
    gettext_noop("Offline (in person, events, leaflets, billboards)"),
)

# Targets (cases/data/taxonomy.yaml).
TARGETS = (
    gettext_noop("Voters"),
    gettext_noop("Candidates"),
    gettext_noop("Political parties"),
    gettext_noop("Election administration"),
    gettext_noop("Election infrastructure"),
    gettext_noop("Journalists and media"),
    gettext_noop("Civil society"),
    gettext_noop("Government officials"),
    gettext_noop("Diaspora"),
    gettext_noop("Minority groups"),
    gettext_noop("Legislators"),
)

# Election phases, in cycle order (cases/data/taxonomy.yaml).
PHASES = (
    gettext_noop("Pre-election"),
    gettext_noop("Campaign"),
    gettext_noop("Election day"),
    gettext_noop("Results"),
    gettext_noop("Post-election"),
)

# Guides' audiences (cases/data/taxonomy.yaml).
AUDIENCES = (
    gettext_noop("Election officials"),
    gettext_noop("Campaigns"),
    gettext_noop("Political parties"),
    gettext_noop("Policymakers"),
    gettext_noop("Legislators"),
    gettext_noop("Journalists"),
    gettext_noop("Platforms"),
    gettext_noop("Civil society"),
    gettext_noop("Voters"),
)

# Guides' topics (guides/demo/guides.yaml).
TOPICS = (
    gettext_noop("Cybersecurity"),
    gettext_noop("Election administration"),
    gettext_noop("Disinformation response"),
    gettext_noop("Crisis communication"),
    gettext_noop("Media literacy and resilience"),
    gettext_noop("Platform policy"),
    gettext_noop("Political finance and advertising"),
    gettext_noop("Government response"),
    gettext_noop("Personal safety"),
)

# UN M49 regions (cases/regions.py).
REGIONS = (
    gettext_noop("Africa"),
    gettext_noop("Americas"),
    gettext_noop("Asia"),
    gettext_noop("Europe"),
    gettext_noop("Oceania"),
    gettext_noop("Antarctica"),
)

# UN M49 sub-regions (cases/regions.py).
SUB_REGIONS = (
    gettext_noop("Northern Africa"),
    gettext_noop("Eastern Africa"),
    gettext_noop("Middle Africa"),
    gettext_noop("Southern Africa"),
    gettext_noop("Western Africa"),
    gettext_noop("Caribbean"),
    gettext_noop("Central America"),
    gettext_noop("South America"),
    gettext_noop("Northern America"),
    gettext_noop("Central Asia"),
    gettext_noop("Eastern Asia"),
    gettext_noop("South-eastern Asia"),
    gettext_noop("Southern Asia"),
    gettext_noop("Western Asia"),
    gettext_noop("Eastern Europe"),
    gettext_noop("Northern Europe"),
    gettext_noop("Southern Europe"),
    gettext_noop("Western Europe"),
    gettext_noop("Australia and New Zealand"),
    gettext_noop("Melanesia"),
    gettext_noop("Micronesia"),
    gettext_noop("Polynesia"),
)
