"""Synthetic cases in bulk: page rows, case rows, relations, sources and the search index.

A page save costs tens of queries (tree, revision, references, search); at 100,000 cases that
is hours. Here each batch is a handful of bulk INSERTs, with the treebeard fields (path, depth,
numchild) and url_path computed the way `add_child` would, so the tree stays valid.
"""

import datetime
import random
import time
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from cases.choices import (
    ActorType,
    AttributionStatus,
    Confidence,
    DatePrecision,
    ElectionRound,
    ElectionType,
    Origin,
    SourceKind,
)
from cases.models import Actor, CaseIndexPage, CaseSource, CaseStudyPage, Channel, Country, Tactic, Target
from portal import versioning

from . import text

SEED = 20261125
ACTOR_DESCRIPTION = "Synthetic actor created by the benchmark."

# Distributions: most cases concern one country, recent years are busier, precision is mixed.
COUNTRIES_PER_CASE = ([1, 2, 3], [80, 15, 5])
ORIGINS = ([Origin.FOREIGN, Origin.DOMESTIC, Origin.MIXED, Origin.UNKNOWN], [45, 35, 12, 8])
ATTRIBUTIONS = (AttributionStatus.values, [5, 15, 20, 30, 20, 10])
PRECISIONS = ([DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY], [20, 40, 40])
YEARS = list(range(2000, 2027))
YEAR_WEIGHTS = [1 + (year - 2000) ** 1.5 for year in YEARS]


def _weighted(rng, pool, weights):
    return rng.choices(pool, weights=weights, k=1)[0]


def _some(rng, pool, low, high):
    return rng.sample(pool, k=min(len(pool), rng.randint(low, high)))


def _partial_date(rng, year, precision):
    """A date normalised to its precision: 1 January for a year, the 1st for a month."""
    if precision == DatePrecision.YEAR:
        return datetime.date(year, 1, 1)
    month = rng.randint(1, 12)
    if precision == DatePrecision.MONTH:
        return datetime.date(year, month, 1)
    return datetime.date(year, month, rng.randint(1, 28))


def _int2str(number, alphabet, steplen):
    digits = []
    while number:
        number, rest = divmod(number, len(alphabet))
        digits.append(alphabet[rest])
    return "".join(reversed(digits)).rjust(steplen, alphabet[0])


def _str2int(step, alphabet):
    value = 0
    for char in step:
        value = value * len(alphabet) + alphabet.index(char)
    return value


class Vocabulary:
    """The real rows cases are classified with: countries (busiest first), tactics, actors…"""

    def __init__(self, rng):
        countries = list(Country.objects.order_by("code"))
        rng.shuffle(countries)
        self.countries = countries
        # A long tail: the busiest country gets a few percent of all cases, most get a handful.
        self.country_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(countries))]
        self.tactics = list(Tactic.objects.order_by("slug"))
        self.channels = list(Channel.objects.order_by("slug"))
        self.targets = list(Target.objects.order_by("slug"))
        self.actors = list(Actor.objects.order_by("name"))

    def country(self, rng):
        return _weighted(rng, self.countries, self.country_weights)


def ensure_actors(rng):
    """About 250 synthetic actors (name, type, country), created once per database."""
    countries = list(Country.objects.order_by("code"))
    names = [f"{prefix} {suffix}" for prefix in text.ACTOR_PREFIXES for suffix in text.ACTOR_SUFFIXES]
    names += [f"Operation {word}" for word in text.OPERATION_WORDS]
    actors = [
        Actor(
            name=name,
            actor_type=rng.choice(ActorType.values),
            country=rng.choice(countries),
            description=ACTOR_DESCRIPTION,
        )
        for name in names
    ]
    Actor.objects.bulk_create(actors, ignore_conflicts=True)


class CaseSpec:
    """One synthetic case before it is written: the page fields and its relations."""

    __slots__ = ("fields", "countries", "tactics", "channels", "targets", "actors", "sources")


def make_spec(rng, vocab, number):
    spec = CaseSpec()
    countries = [vocab.country(rng) for _ in range(_weighted(rng, *COUNTRIES_PER_CASE))]
    countries = list(dict.fromkeys(countries))
    tactics = _some(rng, vocab.tactics, 1, 4)
    channels = _some(rng, vocab.channels, 1, 3)
    targets = _some(rng, vocab.targets, 1, 2)
    actors = _some(rng, vocab.actors, 0, 2) if vocab.actors else []
    year = _weighted(rng, YEARS, YEAR_WEIGHTS)
    first_precision = _weighted(rng, *PRECISIONS)
    first_seen = _partial_date(rng, year, first_precision)
    last_seen, last_precision = None, DatePrecision.DAY
    if rng.random() < 0.7:
        last_precision = _weighted(rng, *PRECISIONS)
        last_year = min(2026, year + rng.choice([0, 0, 0, 1, 1, 2]))
        last_seen = _partial_date(rng, last_year, last_precision)
        if last_seen < first_seen:
            last_seen, last_precision = first_seen, first_precision
    election_type = rng.choice(ElectionType.values)
    election_label = ElectionType(election_type).label.split(" /")[0].lower()
    country = countries[0]
    actor_name = actors[0].name if actors else rng.choice(text.OPERATION_WORDS)
    tactic = tactics[0].name
    words = {
        "actor": actor_name,
        "verb": rng.choice(text.VERBS),
        "verb2": rng.choice(text.VERBS),
        "topic": rng.choice(text.TOPIC_WORDS),
        "topic2": rng.choice(text.TOPIC_WORDS),
        "country": country.name,
        "year": year,
        "election": f"{election_label} election",
        "channel": channels[0].name,
        "publisher": rng.choice(text.PUBLISHERS),
        "target": targets[0].name.lower(),
        "n": rng.randint(3, 900),
    }
    title = rng.choice(
        [
            "{tactic} in the {year} {country} {election}",
            "{actor}: {topic} ahead of {country}'s {year} vote",
            "{topic_cap} on {channel} during the {country} {election}",
            "{country} {year}: {tactic} against {target}",
        ]
    ).format(tactic=tactic, topic_cap=words["topic"].capitalize(), **words)
    summary = " ".join(rng.choice(text.SENTENCES).format(**words) for _ in range(2))[:300]
    paragraphs = [
        " ".join(
            rng.choice(text.SENTENCES).format(**{**words, "topic": rng.choice(text.TOPIC_WORDS)}) for _ in range(3)
        )
        for _ in range(rng.randint(1, 2))
    ]
    election_date = _partial_date(rng, year, DatePrecision.DAY) if rng.random() < 0.8 else None
    published = timezone.make_aware(datetime.datetime(max(year, 2019), 1, 1)) + datetime.timedelta(
        days=rng.randint(0, 2400), seconds=rng.randint(0, 86399)
    )
    published = min(published, timezone.make_aware(datetime.datetime(2026, 11, 1)))
    spec.fields = {
        "title": title[:255],
        "slug": f"{slugify(title)[:60].strip('-')}-{number}",
        "summary": summary,
        "body": [("paragraph", f"<p>{paragraph}</p>") for paragraph in paragraphs],
        "election_name": f"{year} {country.name} {election_label} election",
        "election_type": election_type,
        "election_date": election_date,
        "election_round": rng.choice(["", ""] + ElectionRound.values),
        "first_seen": first_seen,
        "first_seen_precision": first_precision,
        "last_seen": last_seen,
        "last_seen_precision": last_precision,
        "origin": _weighted(rng, *ORIGINS),
        "attribution_status": _weighted(rng, *ATTRIBUTIONS),
        "attribution_confidence": rng.choice(Confidence.values),
        "attributed_by": words["publisher"] if rng.random() < 0.6 else "",
        "response": f"{channels[0].name} removed {words['n']} accounts." if rng.random() < 0.5 else "",
        "last_reviewed": (published + datetime.timedelta(days=rng.randint(0, 300))).date(),
        "first_published_at": published,
        "last_published_at": published + datetime.timedelta(days=rng.choice([0, 0, 3, 40])),
    }
    spec.countries = [c.pk for c in countries]
    spec.tactics = [t.pk for t in tactics]
    spec.channels = [c.pk for c in channels]
    spec.targets = [t.pk for t in targets]
    spec.actors = [a.pk for a in actors]
    spec.sources = [
        {
            "publisher": (publisher := rng.choice(text.PUBLISHERS)),
            "title": f"{publisher} on {words['topic']} in {country.name}",
            "date": _partial_date(rng, year, DatePrecision.DAY) if rng.random() < 0.9 else None,
            "kind": rng.choice(SourceKind.values),
            "language": rng.choice(["en", "en", "en", "fr", "es", "de", "ru"]),
        }
        for _ in range(rng.randint(1, 4))
    ]
    return spec


def _batches(total, size):
    start = 0
    while start < total:
        yield start, min(size, total - start)
        start += size


def _insert_child_rows(cases):
    """INSERT the case table rows for pages whose wagtailcore_page rows already exist.

    bulk_create refuses multi-table children; the model's own insert does one table, as
    Model.save_base(raw=True) does, with the database's parameter limit respected.
    """
    fields = CaseStudyPage._meta.local_concrete_fields
    size = connection.ops.bulk_batch_size(fields, cases) or len(cases)
    for start in range(0, len(cases), size):
        CaseStudyPage._base_manager._insert(cases[start : start + size], fields=fields, using=connection.alias)


def add_cases(count, *, seed=SEED, batch_size=2000, progress=None):
    """Add `count` live, public synthetic cases under the catalogue; return their ids.

    Must run after migrate and ensure_site_tree(). Deterministic for a given seed and starting
    state; adding 10,000 then 90,000 gives the same kind of data as 100,000 at once.
    """
    index_page = CaseIndexPage.objects.get(locale=Locale.get_default())
    rng = random.Random(f"{seed}-{index_page.numchild}")
    ensure_actors(random.Random(seed))
    vocab = Vocabulary(random.Random(seed))
    content_type = ContentType.objects.get_for_model(CaseStudyPage)
    alphabet, steplen = Page.alphabet, Page.steplen
    last_child = index_page.get_last_child()
    next_step = _str2int(last_child.path[-steplen:], alphabet) + 1 if last_child else 1
    m2m = {
        name: (CaseStudyPage._meta.get_field(name).remote_field.through, column)
        for name, column in [
            ("countries", "country_id"),
            ("tactics", "tactic_id"),
            ("channels", "channel_id"),
            ("targets", "target_id"),
            ("actors", "actor_id"),
        ]
    }
    ids = []
    for start, size in _batches(count, batch_size):
        specs = [make_spec(rng, vocab, next_step + start + i) for i in range(size)]
        pages, cases = [], []
        for i, spec in enumerate(specs):
            step = next_step + start + i
            page_fields = {
                "title": spec.fields["title"],
                "draft_title": spec.fields["title"],
                "slug": spec.fields["slug"],
                "path": index_page.path + _int2str(step, alphabet, steplen),
                "depth": index_page.depth + 1,
                "numchild": 0,
                "url_path": f"{index_page.url_path}{spec.fields['slug']}/",
                "content_type": content_type,
                "locale_id": index_page.locale_id,
                "live": True,
                "has_unpublished_changes": False,
                "first_published_at": spec.fields["first_published_at"],
                "last_published_at": spec.fields["last_published_at"],
                "latest_revision_created_at": spec.fields["last_published_at"],
                "search_description": "",
                "seo_title": "",
            }
            pages.append(Page(**page_fields))
            case_fields = {k: v for k, v in spec.fields.items() if k not in page_fields}
            cases.append(CaseStudyPage(**page_fields, **case_fields))
        with transaction.atomic():
            Page.objects.bulk_create(pages)
            for page, case in zip(pages, cases, strict=True):
                if page.pk is None:  # only very old SQLite cannot return ids from a bulk insert
                    raise RuntimeError("The database did not return the new page ids.")
                case.pk = case.id = case.page_ptr_id = page.pk
            _insert_child_rows(cases)
            for name, (through, column) in m2m.items():
                through.objects.bulk_create(
                    [
                        through(casestudypage_id=case.pk, **{column: pk})
                        for case, spec in zip(cases, specs, strict=True)
                        for pk in getattr(spec, name)
                    ],
                    batch_size=5000,
                )
            CaseSource.objects.bulk_create(
                [
                    CaseSource(
                        page_id=case.pk,
                        sort_order=order,
                        url=f"https://example.org/bench/{case.slug}/{order + 1}",
                        **source,
                    )
                    for case, spec in zip(cases, specs, strict=True)
                    for order, source in enumerate(spec.sources)
                ],
                batch_size=5000,
            )
            Page.objects.filter(pk=index_page.pk).update(numchild=F("numchild") + size)
        ids.extend(case.pk for case in cases)
        if progress:
            progress(start + size, count)
    return ids


RELATED_FOR_INDEX = ("countries", "actors", "tactics", "channels", "targets")


def _with_relations(cases):
    """Attach each case's related rows in memory, five queries per chunk.

    Parental many-to-many managers ignore prefetch_related, so the indexer would otherwise run
    one query per relation per case, and again for every part of the index entry.
    """
    ids = [case.pk for case in cases]
    for name in RELATED_FOR_INDEX:
        through, case_column, term = CaseStudyPage.link_table(name)
        rows = list(through.objects.filter(**{f"{case_column}__in": ids}).values_list(case_column, f"{term}_id"))
        related = CaseStudyPage._meta.get_field(name).related_model
        targets = related.objects.in_bulk({target_id for _case_id, target_id in rows})
        by_case = defaultdict(list)
        for case_id, target_id in rows:
            by_case[case_id].append(targets[target_id])
        for case in cases:
            setattr(case, name, by_case[case.pk])
    return cases


def index_cases(ids, *, chunk_size=1000, progress=None):
    """Put the cases into the search index in chunks, as update_index would, but only these."""
    backend = get_search_backend()
    done = 0
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        cases = list(CaseStudyPage.objects.filter(pk__in=chunk).prefetch_related("sources"))
        backend.add_bulk(CaseStudyPage, _with_relations(cases))
        done += len(chunk)
        if progress:
            progress(done, len(ids))


def build(total, *, seed=SEED, progress=None):
    """Bring the catalogue to `total` synthetic cases; return what was done and how long it took."""
    existing = CaseStudyPage.objects.count()
    result = {"existing": existing, "added": 0, "insert_s": 0.0, "index_s": 0.0}
    if existing >= total:
        return result
    started = time.perf_counter()
    ids = add_cases(total - existing, seed=seed, progress=progress and (lambda d, n: progress("insert", d, n)))
    result["insert_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    index_cases(ids, progress=progress and (lambda d, n: progress("index", d, n)))
    result["index_s"] = round(time.perf_counter() - started, 2)
    result["added"] = len(ids)
    versioning.bump()  # bulk inserts send no signals: tell derived data (the catalogue index) itself
    return result
