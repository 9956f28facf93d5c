"""Turn Natural Earth's country shapes into the compact SVG paths the catalogue's map draws.

Run once, by hand, when the shapes should change; the result, cases/data/world_paths.json, is
kept in the repository so that no request and no deployment needs Node or the network:

    npm pack world-atlas && tar xzf world-atlas-2.0.2.tgz
    python manage.py build_world_map package/

Source: the `world-atlas` npm package (Natural Earth 4.1.0 Admin 0 countries, public domain;
the package's TopoJSON by Mike Bostock, ISC licence). The 1:110m shapes are drawn; countries too
small to have one at that scale get a dot at the centre of their largest 1:50m shape.

Projection: Equal Earth (Šavrič, Patterson and Jenny, 2018), an equal-area projection, so that
large countries do not look more affected than they are. Antarctica is left out.

Borders follow the UN M49 list the portal's countries come from (cases/regions.py): shapes are
keyed by ISO 3166-1 alpha-2 through their numeric code. Natural Earth draws a few areas that M49
lists under another country; they are merged into that country's shape, so no border is drawn
inside it: Crimea into Ukraine, Kosovo into Serbia, "N. Cyprus" into Cyprus, Somaliland into
Somalia.
"""

import json
import math
from pathlib import Path

import pycountry
from django.core.management.base import BaseCommand, CommandError

OUTPUT = Path(__file__).resolve().parents[2] / "data" / "world_paths.json"
WIDTH = 1000  # viewBox units across the whole projected world
TOLERANCE = 0.35  # Douglas-Peucker tolerance in viewBox units
DROPPED = {"010"}  # Antarctica
# Natural Earth shapes without an ISO code of their own, merged into the M49 country: name -> numeric.
MERGED_BY_NAME = {"Kosovo": "688", "N. Cyprus": "196", "Somaliland": "706"}
# Natural Earth 4.1 draws Crimea as part of Russia; M49 counts it in Ukraine. The shape of Russia's
# that contains this point (longitude, latitude) is given to Ukraine.
CRIMEA_POINT, RUSSIA, UKRAINE = (34.1, 45.3), "643", "804"

# Equal Earth constants
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
X_MAX = math.pi / (M * A1)  # x at longitude 180, latitude 0


def equal_earth(lon, lat):
    """Equal Earth (x, y) in viewBox units, y growing downwards, (0, 0) at the map's top left."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    scale = WIDTH / (2 * X_MAX)
    return x * scale + WIDTH / 2, -y * scale


def decode_arcs(topology):
    """The topology's arcs as lists of (longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def polygons_of(geometry):
    """A geometry's polygons, each a list of rings, each a list of arc indexes."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def contains(ring, point):
    """Whether the ring (a list of points) contains the point (even-odd rule)."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def dissolve(polygons, arcs):
    """Polygons with the arcs they share removed from their outer rings, chained into new rings.

    What topojson's `merge` does, for the few shapes merged here: their outer rings meet along
    shared arcs (each used once forwards and once backwards); holes are kept as they were.
    """
    outer = [index for polygon in polygons for index in polygon[0]]
    used = set(outer)
    kept = [index for index in outer if ~index not in used]
    holes = [ring for polygon in polygons for ring in polygon[1:]]

    def start(index):
        return arcs[index][0] if index >= 0 else arcs[~index][-1]

    def end(index):
        return arcs[index][-1] if index >= 0 else arcs[~index][0]

    rings, left = [], list(kept)
    while left:
        ring = [left.pop(0)]
        while end(ring[-1]) != start(ring[0]):
            following = next((i for i in left if start(i) == end(ring[-1])), None)
            if following is None:
                raise CommandError("merged shapes do not close into a ring")
            left.remove(following)
            ring.append(following)
        rings.append(ring)
    return [[rings[0], *holes]] + [[ring] for ring in rings[1:]]


def simplify(points, tolerance):
    """Douglas-Peucker, keeping both ends (arc ends are shared by neighbours, so borders still meet)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance
        for i in range(first + 1, last):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / length if length else math.hypot(x - x1, y - y1)
            if d > distance:
                farthest, distance = i, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def number(value):
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def path_data(polygons, arcs):
    """SVG path data: each ring moves to its first point, then draws relative lines, then closes."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = [(round(x, 1), round(y, 1)) for x, y in ring_points(ring, arcs)]
            for piece in split_at_antimeridian(points):
                deduped = [piece[0]] + [p for previous, p in zip(piece, piece[1:], strict=False) if p != previous]
                if len(deduped) < 3:
                    continue  # collapsed to a line at this scale
                x0, y0 = deduped[0]
                coords = []
                for (xa, ya), (xb, yb) in zip(deduped, deduped[1:], strict=False):
                    coords += [number(xb - xa), number(yb - ya)]
                parts.append(f"M{number(x0)} {number(y0)}l" + " ".join(coords).replace(" -", "-") + "z")
    return "".join(parts)


def split_at_antimeridian(points):
    """A projected ring cut where it jumps across the map (Russia's and Fiji's cross longitude 180).

    Natural Earth's rings that cross it do so twice: the two pieces, one on each edge of the map,
    are each closed along that edge. The closing point (equal to the first) is dropped: "z" closes.
    """
    ring = points[:-1] if points[0] == points[-1] else points
    jumps = [i for i in range(len(ring)) if abs(ring[(i + 1) % len(ring)][0] - ring[i][0]) > WIDTH / 2]
    if len(jumps) != 2:
        return [ring]
    first, second = jumps
    return [ring[first + 1 : second + 1], ring[second + 1 :] + ring[: first + 1]]


def alpha2(numeric):
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_2 if country else None


def _box_area(ring):
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (max(xs) - min(xs)) * (max(ys) - min(ys))


def largest_ring_centre(geometry, arcs):
    """The centre of the bounding box of the geometry's largest outer ring, in longitude and latitude."""
    rings = [ring_points(polygon[0], arcs) for polygon in polygons_of(geometry)]
    if not rings:
        return None
    ring = max(rings, key=_box_area)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


class Command(BaseCommand):
    help = "Build cases/data/world_paths.json from an unpacked world-atlas npm package."

    def add_arguments(self, parser):
        parser.add_argument("package", help="the unpacked world-atlas package (holding countries-110m.json)")

    def handle(self, package, **options):
        folder = Path(package)
        try:
            coarse = json.loads((folder / "countries-110m.json").read_text())
            fine = json.loads((folder / "countries-50m.json").read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read the world-atlas files in {folder}: {error}") from error
        shapes = self.shapes(coarse)
        points = self.small_countries(fine, set(shapes))
        data = {
            "source": "Natural Earth 4.1.0 Admin 0 countries, 1:110m (dots: 1:50m), via the world-atlas npm package",
            "licence": "Natural Earth: public domain. world-atlas TopoJSON: ISC licence, (c) Michael Bostock.",
            "projection": "Equal Earth; Antarctica left out; borders as in UN M49 (see build_world_map.py)",
            "viewBox": self.view_box(shapes.values(), points.values()),
            "countries": shapes,
            "points": points,
        }
        OUTPUT.parent.mkdir(exist_ok=True)
        OUTPUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
        self.stdout.write(f"{len(shapes)} shapes, {len(points)} dots, {OUTPUT.stat().st_size // 1024} KB -> {OUTPUT}")

    def shapes(self, topology):
        raw = decode_arcs(topology)
        arcs = [simplify([equal_earth(lon, lat) for lon, lat in arc], TOLERANCE) for arc in raw]
        polygons, names = {}, {}
        for geometry in topology["objects"]["countries"]["geometries"]:
            name = geometry["properties"]["name"]
            numeric = geometry.get("id") or MERGED_BY_NAME.get(name)
            if numeric is None:
                raise CommandError(f"no ISO code and no M49 country to merge it into: {name}")
            if numeric in DROPPED:
                continue
            mine = polygons_of(geometry)
            if numeric == RUSSIA:
                crimea = [p for p in mine if contains(ring_points(p[0], raw), CRIMEA_POINT)]
                mine = [p for p in mine if p not in crimea]
                polygons.setdefault(UKRAINE, []).extend(crimea)
            polygons.setdefault(numeric, []).extend(mine)
            if geometry.get("id"):
                names[numeric] = name
        merged = {UKRAINE} | set(MERGED_BY_NAME.values())
        shapes = {}
        for numeric, parts in polygons.items():
            if numeric in merged:
                parts = dissolve(parts, raw)
            code = alpha2(numeric)
            if code is None:
                raise CommandError(f"ISO numeric code {numeric} ({names.get(numeric)}) is not in pycountry")
            shapes[code] = {"numeric": numeric, "d": path_data(parts, arcs)}
            shapes[code]["ys"] = [y for part in parts for ring in part for _x, y in ring_points(ring, arcs)]
        return shapes

    def view_box(self, shapes, points):
        """The box around every shape and dot, as "x y width height", with a margin of 2 units."""
        ys = [y for shape in shapes for y in shape.pop("ys")] + [y for _x, y in points]
        top, bottom = min(ys) - 2, max(ys) + 2
        return f"0 {number(top)} {WIDTH} {number(bottom - top)}"

    def small_countries(self, topology, drawn):
        """{alpha-2: [x, y]} for countries with a 1:50m shape but none at 1:110m."""
        arcs = decode_arcs(topology)
        points = {}
        for geometry in topology["objects"]["countries"]["geometries"]:
            code = alpha2(geometry["id"]) if geometry.get("id") else None
            if code and code not in drawn and geometry["id"] not in DROPPED:
                centre = largest_ring_centre(geometry, arcs)
                if centre:
                    x, y = equal_earth(*centre)
                    points[code] = [round(x, 1), round(y, 1)]
        return points
