"""How to cite a case: APA text, BibTeX, RIS and CSL-JSON, all from one `Citation`.

Why its own module: the four formats must agree (title, author, dates, URL), and each has its
own escaping rules (BibTeX's braces and special characters, RIS's one-tag-per-line format) that
are easy to get subtly wrong. So they live here, with no database access, and are tested
character for character (cases/tests/test_citations.py). The page's "Cite this case" box, its
`citation_*` meta tags and JSON-LD, and the download views all read a `Citation`.

Dates: `published` is when the case first went public and `revised` when its current version
did (Wagtail's first_published_at and last_published_at). The formats cite the revision, as APA
asks for pages that are updated, and name the first publication in a note.
"""

import json
import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from .dates import day_display

AUTHOR = "Commission on Election Integrity"
PUBLISHER = "Election Integrity Portal"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Characters BibTeX/LaTeX treat as markup, as the text that prints them. Unicode (accents,
# typographic quotes) is kept: the file is UTF-8, which biber and BibTeX 0.99d+ read.
_BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
_WHITESPACE = re.compile(r"\s+")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9]+")

DOWNLOADS = {
    # format: (file extension, content type)
    "bib": ("bib", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
    "csl": ("csl.json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


def one_line(text):
    """Text on one line: runs of whitespace (newlines included) become one space."""
    return _WHITESPACE.sub(" ", text or "").strip()


def long_date(day):
    return f"{day.day} {day.strftime('%B %Y')}"


@dataclass(frozen=True)
class Citation:
    """What every citation format says about one version of one case."""

    title: str
    url: str
    slug: str
    published: date
    revised: date
    summary: str = ""
    language: str = "en"

    @classmethod
    def of_page(cls, page, url):
        """The citation of a case page's live version; a page never published counts as published today."""
        today = timezone.localdate()
        first = page.first_published_at
        last = page.last_published_at or first
        return cls(
            title=one_line(page.title),
            url=url,
            slug=page.slug,
            published=timezone.localdate(first) if first else today,
            revised=timezone.localdate(last) if last else today,
            summary=one_line(page.summary),
        )

    @property
    def key(self):
        """A BibTeX/CSL key from ASCII letters, digits and hyphens: eip-<slug>-<year revised>."""
        slug = _KEY_UNSAFE.sub("-", self.slug).strip("-") or "case"
        return f"eip-{slug}-{self.revised.year}"

    @property
    def published_display(self):
        """The first publication's day, as the page's language writes it (the citation formats stay English)."""
        return day_display(self.published)

    @property
    def revised_display(self):
        return day_display(self.revised)

    @property
    def note(self):
        return f"First published {long_date(self.published)}; last revised {long_date(self.revised)}."

    def download_name(self, kind):
        return f"{self.key}.{DOWNLOADS[kind][0]}"


def apa_parts(citation):
    """(before the title, the title, after it): APA 7 for a page with a group author.

    Split so a template can set the title in italics; `apa` joins them as plain text.
    """
    revised = citation.revised
    lead = f"{AUTHOR}. ({revised.year}, {revised.strftime('%B')} {revised.day}). "
    stop = "" if citation.title.endswith((".", "?", "!")) else "."
    return lead, citation.title, f"{stop} {PUBLISHER}. {citation.url}"


def apa(citation):
    return "".join(apa_parts(citation))


def bibtex_escape(text):
    """Text as a BibTeX field value prints it: LaTeX specials escaped, on one line."""
    return one_line(text).translate(_BIBTEX_ESCAPES)


def bibtex(citation):
    """One @misc entry. The author is in double braces so it is read as one corporate name,
    and the title too, so styles keep its capitals. The URL is left verbatim, as biber and the
    url package read it."""
    revised = citation.revised
    fields = [
        ("author", f"{{{bibtex_escape(AUTHOR)}}}"),
        ("title", f"{{{bibtex_escape(citation.title)}}}"),
        ("howpublished", bibtex_escape(PUBLISHER)),
        ("organization", bibtex_escape(PUBLISHER)),
        ("year", str(revised.year)),
        ("month", None),
        ("date", revised.isoformat()),
        ("url", citation.url),
        ("abstract", bibtex_escape(citation.summary)),
        ("note", bibtex_escape(citation.note)),
        ("language", citation.language),
    ]
    lines = [f"@misc{{{citation.key},"]
    for name, value in fields:
        if name == "month":
            lines.append(f"  month = {MONTHS[revised.month - 1]},")  # a BibTeX macro, unbraced
        elif value:
            lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def ris(citation):
    """One RIS record (type ELEC, a web page): "TG  - value" lines, CRLF, ending with "ER  - "."""
    revised = citation.revised
    tags = [
        ("TY", "ELEC"),
        ("AU", AUTHOR),
        ("TI", citation.title),
        ("T2", PUBLISHER),
        ("PB", PUBLISHER),
        ("PY", str(revised.year)),
        ("DA", revised.strftime("%Y/%m/%d")),
        ("UR", citation.url),
        ("LA", citation.language),
        ("AB", citation.summary),
        ("N1", citation.note),
    ]
    lines = [f"{tag}  - {one_line(value)}" for tag, value in tags if value]
    return "\r\n".join([*lines, "ER  - "]) + "\r\n"


def csl_item(citation):
    """The case as one CSL-JSON item (a web page), as citeproc processors and Zotero read it."""
    revised = citation.revised
    return {
        "id": citation.key,
        "type": "webpage",
        "title": citation.title,
        "author": [{"literal": AUTHOR}],
        "container-title": PUBLISHER,
        "publisher": PUBLISHER,
        "issued": {"date-parts": [[revised.year, revised.month, revised.day]]},
        "URL": citation.url,
        "language": citation.language,
        "abstract": citation.summary,
        "note": citation.note,
    }


def csl_json(citation):
    """A CSL-JSON file: a list holding the one item."""
    return json.dumps([csl_item(citation)], ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"bib": bibtex, "ris": ris, "csl": csl_json}
