"""STIX objects as JSON text, made two ways that give the same bytes: plain (fast) and checked.

`CheckedObjects` has the `stix2` library build each object, validating every property as it
goes: about a millisecond an object, so the 100,000-case export (about a million objects) would
take a quarter of an hour. `PlainObjects` writes the same properties as a dict, in the order
stix2 writes them, with timestamps formatted by stix2's own functions at each property's
precision, and leaves out what stix2 leaves out (None, empty lists); json.dumps then takes
microseconds. The export streams plain objects; the tests build one bundle both ways and
compare them byte for byte, and parse every plain object back with `stix2.parse`, so the fast
path cannot drift from what the library would make.

The most numerous objects (relationships: about fifteen per case) go faster still: `make_like`
writes the first one of a layout as above, keeps its JSON as a template and fills the next ones'
varying properties into it, which takes a string substitution instead of a dict and json.dumps.
"""

import functools
import json

from stix2.properties import TimestampProperty
from stix2.utils import format_datetime, parse_into_datetime
from stix2.v21 import ExternalReference


@functools.lru_cache(maxsize=4096)
def _timestamp(moment, precision, constraint):
    # A case's objects share one timestamp, and shared objects one epoch: most calls are hits.
    return format_datetime(parse_into_datetime(moment, precision, constraint))


def _ordered(properties, rank):
    """The properties stix2 would keep, in the order it writes them: the spec's, then custom ones sorted."""
    known = sorted((rank[key], key) for key in properties if key in rank)
    custom = sorted(key for key in properties if key not in rank)
    return [key for _, key in known] + custom


class _PlainType:
    """How stix2 writes one object type, worked out once from the library's own property table."""

    def __init__(self, cls):
        self.type = cls._type
        self.rank = {name: position for position, name in enumerate(cls._properties)}
        self.timestamps = {
            name: (prop.precision, prop.precision_constraint)
            for name, prop in cls._properties.items()
            if isinstance(prop, TimestampProperty)
        }
        self.orders = {}

    def __call__(self, properties):
        keys = tuple(properties)
        order = self.orders.get(keys)
        if order is None:
            order = self.orders[keys] = _ordered(keys, self.rank)
        obj = {"type": self.type, "spec_version": "2.1"}
        for key in order:
            value = properties[key]
            if value is None or value == []:
                continue
            if key in self.timestamps:
                value = _timestamp(value, *self.timestamps[key])
            elif key == "external_references":
                value = [_reference(reference) for reference in value]
            obj[key] = value
        return obj


_REFERENCE_RANK = {name: position for position, name in enumerate(ExternalReference._properties)}


def _reference(reference):
    return {key: reference[key] for key in _ordered(reference, _REFERENCE_RANK) if reference[key] is not None}


class _Template:
    """The JSON text of one object layout with its varying properties left as %(name)s slots.

    Varying values go in unescaped: they must be ids, timestamps or vocabulary words, never free
    text. Timestamps are formatted as the plain object would format them.
    """

    def __init__(self, plain, properties, varies):
        obj = plain(properties)
        for name in varies:
            obj[name] = f"@@{name}@@"
        text = json.dumps(obj).replace("%", "%%")
        for name in varies:
            text = text.replace(f'"@@{name}@@"', f'"%({name})s"')
        self.text = text
        self.timestamps = {name: plain.timestamps[name] for name in varies if name in plain.timestamps}

    def fill(self, properties):
        values = dict(properties)
        for name, (precision, constraint) in self.timestamps.items():
            values[name] = _timestamp(values[name], precision, constraint)
        return self.text % values


class PlainObjects:
    """Objects as dicts, serialised with json, or as text filled into a template: what the export streams."""

    def __init__(self):
        self.types = {}
        self.templates = {}

    def make(self, cls, **properties):
        plain = self.types.get(cls)
        if plain is None:
            plain = self.types[cls] = _PlainType(cls)
        return plain(properties)

    def make_like(self, cls, varies, **properties):
        """An object as JSON text: only the properties named in `varies` may differ from the first call's."""
        key = (cls, varies, tuple(properties))
        template = self.templates.get(key)
        if template is None:
            self.make(cls, **properties)  # registers the type
            template = self.templates[key] = _Template(self.types[cls], properties, varies)
        return template.fill(properties)

    @staticmethod
    def dumps(obj):
        return obj if isinstance(obj, str) else json.dumps(obj)


class CheckedObjects:
    """Objects built and validated by the stix2 library: the reference the plain ones are tested against."""

    @staticmethod
    def make(cls, **properties):
        return cls(**properties)

    @staticmethod
    def make_like(cls, varies, **properties):
        return cls(**properties)

    @staticmethod
    def dumps(obj):
        return obj.serialize()
