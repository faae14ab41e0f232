"""Build src/veille/setup/data/communes.tsv.gz from the Etalab administrative divisions.

Source: the npm package @etalab/decoupage-administratif (INSEE's Code officiel géographique,
the DGCL's intercommunalités, La Poste's postcodes, INSEE's legal populations). Data under the
Licence Ouverte / Open Licence 2.0 (Etalab), package code under MIT.

    npm pack @etalab/decoupage-administratif@6.0.0
    python scripts/build_communes.py etalab-decoupage-administratif-6.0.0.tgz

One line per current commune and per municipal arrondissement (Paris, Lyon, Marseille):
code, name, département code, postcodes (space-separated), intercommunalité (EPCI) code,
population, and for an arrondissement the code of its commune. The package carries no
coordinates, so the area around a town is drawn from its intercommunalité (see setup/area.py).
"""

from __future__ import annotations

import gzip
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src/veille/setup/data/communes.tsv.gz"
KINDS = {"commune-actuelle", "arrondissement-municipal"}


def _member(archive: tarfile.TarFile, name: str) -> Any:
    handle = archive.extractfile(f"package/data/{name}")
    if handle is None:
        raise SystemExit(f"{name} not found in the package")
    return json.load(handle)


def build(package: Path) -> list[str]:
    with tarfile.open(package) as archive:
        communes = _member(archive, "communes.json")
        epcis = _member(archive, "epci.json")
        version = json.load(archive.extractfile("package/package.json"))["version"]  # type: ignore[arg-type]
    epci_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    lines = [f"# @etalab/decoupage-administratif {version}; Licence Ouverte 2.0 (Etalab)"]
    for row in sorted(communes, key=lambda r: r["code"]):
        if row["type"] not in KINDS:
            continue
        parent = row.get("commune", "")
        fields = [
            row["code"],
            row["nom"],
            row["departement"],
            " ".join(row.get("codesPostaux", [])),
            epci_of.get(parent or row["code"], ""),
            str(row.get("population", 0)),
            parent,
        ]
        if any("\t" in f or "\n" in f for f in fields):
            raise SystemExit(f"commune {row['code']}: a field holds a tab or newline")
        lines.append("\t".join(fields))
    return lines


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: python scripts/build_communes.py PACKAGE.tgz")
    lines = build(Path(sys.argv[1]))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0: the same package gives the same bytes, so a rebuild shows no diff.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(data)
    print(f"{len(lines) - 1} communes and arrondissements -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
