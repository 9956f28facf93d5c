"""The sourcing rule: what a case must cite before the commission may publish it.

One definition, applied wherever a case can become public: the "Commission approval" task and
a reviewer's direct "Publish" in the admin (portal/models.py, portal/wagtail_hooks.py, through
`CaseStudyPage.publication_check()`), and `import_cases --publish` (cases/importer.py).

- A case is publishable only if it cites sources from at least two distinct publishers that are
  not encyclopaedias. A source of kind "reference", or from Wikipedia, Britannica or another
  encyclopaedia, does not count. "Reuters (via Yahoo News)" is Reuters: a copy carried by
  another site is still the original publisher's report. Publishers are compared by a
  normalised name (case, accents, punctuation and a leading "The" do not make a new publisher).
- Where the attribution is "official" or "judicial" and no cited source is the attributing
  body's own (kind official or court), the reviewer is warned; this does not block publication,
  because a primary source cannot always be found.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import AttributionStatus, SourceKind

MIN_PUBLISHERS = 2
# Words that mark a publisher as an encyclopaedia whatever its kind says.
ENCYCLOPAEDIA_MARKERS = ("wikipedia", "britannica", "encyclopaedia", "encyclopedia", "wikimedia", "wikidata")
PRIMARY_KINDS = (SourceKind.OFFICIAL, SourceKind.COURT)
NEEDS_PRIMARY = (AttributionStatus.OFFICIAL, AttributionStatus.JUDICIAL)
_VIA = re.compile(r"\s*\((?:via|citing)\s[^)]*\)\s*$", re.IGNORECASE)


def original_publisher(publisher):
    """The publisher a source is credited to: "Reuters (via National Post)" is "Reuters"."""
    return _VIA.sub("", publisher or "").strip()


def publisher_key(publisher):
    """A publisher's name compared loosely: "The Guardian", "the guardian" and "Guardian" are one."""
    text = unicodedata.normalize("NFKD", original_publisher(publisher)).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", text.casefold()).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def is_encyclopaedia(publisher, kind):
    key = publisher_key(publisher)
    return kind == SourceKind.REFERENCE or any(marker in key.replace(" ", "") for marker in ENCYCLOPAEDIA_MARKERS)


@dataclass
class SourcingCheck:
    """What the rule found: `problems` block publication, `warnings` are for the reviewer."""

    publishers: list = field(default_factory=list)  # distinct independent publishers, as first cited
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def check_sourcing(sources, attribution_status):
    """Apply the rule to (publisher, kind) pairs and the case's attribution status."""
    sources = [(publisher or "", kind) for publisher, kind in sources]
    check = SourcingCheck()
    seen = set()
    for publisher, kind in sources:
        key = publisher_key(publisher)
        if key and not is_encyclopaedia(publisher, kind) and key not in seen:
            seen.add(key)
            check.publishers.append(original_publisher(publisher))
    if len(check.publishers) < MIN_PUBLISHERS:
        named = ", ".join(check.publishers) if check.publishers else _("none")
        check.problems.append(
            ngettext(
                "Sources from at least %(minimum)d independent publisher are needed; this case has %(count)d "
                "(%(named)s). Encyclopaedias such as Wikipedia or Britannica, and sources of kind “Reference work”, "
                "do not count, and a copy (“X (via Y)”) counts as its original publisher X.",
                "Sources from at least %(minimum)d independent publishers are needed; this case has %(count)d "
                "(%(named)s). Encyclopaedias such as Wikipedia or Britannica, and sources of kind “Reference work”, "
                "do not count, and a copy (“X (via Y)”) counts as its original publisher X.",
                MIN_PUBLISHERS,
            )
            % {"minimum": MIN_PUBLISHERS, "count": len(check.publishers), "named": named}
        )
    if attribution_status in NEEDS_PRIMARY and not any(kind in PRIMARY_KINDS for _kind_pub, kind in sources):
        label = str(AttributionStatus(attribution_status).label).lower()
        check.warnings.append(
            _(
                "The attribution is %(label)s, but no cited source is the attributing body's own (a source of kind "
                "“Official” or “Court record”). Cite its statement, indictment or judgment if one can be found."
            )
            % {"label": label}
        )
    return check
