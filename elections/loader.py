"""Loading election records (elections/demo/elections.yaml) into the calendar.

A record is a mapping: `key` (stable, becomes the row's import_key), `country` (ISO alpha-2),
`date` (YYYY-MM-DD, or YYYY-MM for a month-only date), `type` (cases.choices.ElectionType),
optional `round` (cases.choices.ElectionRound), and `source` with `title`, `publisher`, `url`
and `accessed`. Loading is idempotent: a record identical to its row changes nothing. A bad
record is reported with its key, and nothing of it is saved.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from cases.choices import ElectionRound, ElectionType
from cases.models import Country

from .models import DatePrecision, Election


class RecordError(ValueError):
    pass


def _date(value):
    """(date, precision) from 2027-03-14 or 2027-03; YAML hands full dates over as date objects."""
    if isinstance(value, datetime.date):
        return value, DatePrecision.DAY
    text = str(value)
    try:
        if len(text) == 7:
            return datetime.date.fromisoformat(f"{text}-01"), DatePrecision.MONTH
        return datetime.date.fromisoformat(text), DatePrecision.DAY
    except ValueError:
        raise RecordError(f"date {text!r} is neither YYYY-MM-DD nor YYYY-MM") from None


def fields_of(record, countries):
    """The Election fields a record gives, checked; RecordError names what is wrong."""
    source = record.get("source") or {}
    missing = [name for name in ("key", "country", "date", "type") if not record.get(name)]
    missing += [f"source.{name}" for name in ("title", "publisher", "url", "accessed") if not source.get(name)]
    if missing:
        raise RecordError(f"missing {', '.join(missing)}")
    country = countries.get(str(record["country"]).upper())
    if country is None:
        raise RecordError(f"unknown country {record['country']!r}")
    if record["type"] not in ElectionType.values:
        raise RecordError(f"unknown election type {record['type']!r}")
    if record.get("round", "") not in ("", *ElectionRound.values):
        raise RecordError(f"unknown round {record['round']!r}")
    try:
        URLValidator(schemes=["https", "http"])(source["url"])
    except ValidationError:
        raise RecordError(f"source.url {source['url']!r} is not a web address") from None
    day, precision = _date(record["date"])
    accessed, accessed_precision = _date(source["accessed"])
    if accessed_precision != DatePrecision.DAY:
        raise RecordError("source.accessed must be a full date")
    return {
        "country": country,
        "date": day,
        "date_precision": precision,
        "election_type": record["type"],
        "round": record.get("round", ""),
        "source_title": source["title"],
        "source_publisher": source["publisher"],
        "source_url": source["url"],
        "source_accessed": accessed,
    }


def load_elections(records):
    """Create or update one published election per record; return (changed, errors by key)."""
    countries = {country.code: country for country in Country.objects.all()}
    changed, errors = 0, {}
    for record in records:
        key = str(record.get("key", "?"))
        try:
            fields = fields_of(record, countries)
        except RecordError as error:
            errors[key] = str(error)
            continue
        election = Election.objects.filter(import_key=key).first() or Election(import_key=key)
        if election.pk and all(getattr(election, name) == value for name, value in fields.items()):
            continue
        for name, value in fields.items():
            setattr(election, name, value)
        election.live = True  # loaded data is published, like the demo cases
        election.save()
        changed += 1
    return changed, errors
