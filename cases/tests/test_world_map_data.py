"""The map's shapes (cases/data/world_paths.json, made by build_world_map) and colour classes."""

import re

import pytest

from cases.management.commands.build_world_map import (
    WIDTH,
    dissolve,
    equal_earth,
    path_data,
    split_at_antimeridian,
)
from cases.models import Country
from cases.scales import Scale
from cases.worldmap import SHAPES_FILE, shapes

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def rings(d):
    """The rings of path data written by path_data: "M x y l dx dy … z", repeated."""
    found = []
    for part in d.split("M")[1:]:
        values = [float(v) for v in NUMBER.findall(part)]
        x, y = values[0], values[1]
        ring = [(x, y)]
        for dx, dy in zip(values[2::2], values[3::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((x, y))
        found.append(ring)
    return found


def inside(d, point):
    """Whether the point is inside the path (even-odd over all its rings)."""
    x, y = point
    crossings = 0
    for ring in rings(d):
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                crossings += 1
    return crossings % 2 == 1


def test_the_shapes_file_is_small_and_says_where_it_comes_from():
    assert SHAPES_FILE.stat().st_size < 300_000
    data = shapes()
    assert "public domain" in data["licence"] and "Natural Earth" in data["source"]
    assert "Equal Earth" in data["projection"]
    assert len(data["countries"]) > 150


@pytest.mark.django_db
def test_every_shape_and_dot_is_a_country_of_the_portal():
    codes = set(Country.objects.values_list("code", flat=True))
    data = shapes()
    assert set(data["countries"]) <= codes
    assert set(data["points"]) <= codes
    assert not set(data["countries"]) & set(data["points"])
    assert "AQ" not in data["countries"]  # Antarctica is left out


@pytest.mark.parametrize(
    "place, lon_lat, code, not_code",
    [
        ("Crimea", (34.1, 45.3), "UA", "RU"),
        ("Kosovo", (20.9, 42.6), "RS", None),
        ("northern Cyprus", (33.6, 35.25), "CY", None),
        ("Somaliland", (45.0, 9.5), "SO", None),
        ("Nairobi", (36.8, -1.3), "KE", None),
        ("Chukotka, across longitude 180", (-175.0, 66.0), "RU", None),
    ],
)
def test_areas_are_drawn_in_the_country_un_m49_lists_them_under(place, lon_lat, code, not_code):
    countries = shapes()["countries"]
    point = equal_earth(*lon_lat)
    assert inside(countries[code]["d"], point), place
    if not_code:
        assert not inside(countries[not_code]["d"], point), place
    owners = [c for c, shape in countries.items() if inside(shape["d"], point)]
    assert owners == [code], place


def test_equal_earth_puts_the_equator_and_the_date_line_where_expected():
    assert equal_earth(0, 0) == (WIDTH / 2, 0)
    x, y = equal_earth(180, 0)
    assert round(x, 6) == WIDTH and y == 0
    assert equal_earth(0, 60)[1] < 0  # north is up


def test_a_ring_across_longitude_180_is_cut_into_two_closed_pieces():
    ring = [(990, 10), (995, 20), (5, 20), (8, 10), (990, 10)]
    pieces = split_at_antimeridian(ring)
    assert sorted(pieces) == [[(5, 20), (8, 10)], [(990, 10), (995, 20)]]
    assert split_at_antimeridian([(1, 1), (2, 2), (1, 3), (1, 1)]) == [[(1, 1), (2, 2), (1, 3)]]


def test_merged_shapes_lose_the_border_between_them():
    # Two unit squares side by side share arc 1 (the middle edge), used once in each direction.
    arcs = [
        [(1, 0), (0, 0), (0, 1), (1, 1)],  # left square, outer part
        [(1, 1), (1, 0)],  # the shared edge, downwards
        [(1, 1), (2, 1), (2, 0), (1, 0)],  # right square, outer part
    ]
    left, right = [[0, 1]], [[~1, 2]]
    merged = dissolve([left, right], arcs)
    assert len(merged) == 1 and sorted(merged[0][0]) == [0, 2]
    d = path_data(merged, arcs)
    assert d.count("M") == 1 and inside(d, (0.5, 0.5)) and inside(d, (1.5, 0.5))


@pytest.mark.parametrize(
    "maximum, legend",
    [
        (1, ["1 case"]),
        (3, ["1 case", "2 cases", "3 cases"]),
        (10, ["1–2 cases", "3 cases", "4 cases", "5–6 cases", "7–10 cases"]),
        (1000, ["1–4 cases", "5–16 cases", "17–63 cases", "64–251 cases", "252–1000 cases"]),
    ],
)
def test_count_classes_cover_every_count_up_to_the_largest(maximum, legend):
    scale = Scale.for_maximum(maximum)
    assert [label for _level, label in scale.legend] == legend
    levels = [scale.level(n) for n in range(1, maximum + 1)]
    assert levels == sorted(levels) and levels[-1] == 5 or maximum == 1
    assert scale.level(0) == 0


def test_few_classes_spread_over_the_scale_from_lightest_to_darkest():
    assert [level for level, _label in Scale.for_maximum(2).legend] == [1, 5]
    assert [level for level, _label in Scale.for_maximum(3).legend] == [1, 3, 5]
    assert [level for level, _label in Scale.for_maximum(1).legend] == [3]


def test_the_words_for_a_count_follow_the_language_asked_in():
    from django.utils import translation

    from cases.scales import cases_label

    assert cases_label(1) == "1 case"
    assert cases_label(3) == "3 cases"
    with translation.override("es"):
        assert cases_label(1) == "1 caso"
        assert cases_label(3) == "3 casos"
    assert cases_label(3) == "3 cases"
