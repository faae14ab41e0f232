"""Fails when a function, method, property, class or import is never used (vulture).

Run by `make lint` over src/, scripts/ and benchmarks/. Attributes and variables are left out:
vulture cannot see the columns SQLAlchemy reads or the fields Jinja templates show, and
listing hundreds of them would hide the names that matter. Names that frameworks, templates or
users call live in scripts/vulture_whitelist.py, each with its reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

from vulture import Vulture

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["src", "scripts", "benchmarks"]
KINDS = {"function", "method", "property", "class", "import", "unreachable_code"}
# Routes, commands and validators are called by FastAPI, Typer and pydantic.
DECORATORS = ["@router.*", "@app.*", "@*.command", "@field_validator", "@model_validator"]


def main() -> int:
    vulture = Vulture(ignore_decorators=DECORATORS)
    vulture.scavenge([str(ROOT / p) for p in PATHS])
    found = [
        item
        for item in vulture.get_unused_code(min_confidence=60)
        if item.typ in KINDS and "/migrations/" not in str(item.filename)
    ]
    for item in found:
        where = Path(item.filename).relative_to(ROOT)
        print(f"{where}:{item.first_lineno}: unused {item.typ} {item.name!r}")
    if found:
        print(
            f"{len(found)} unused; remove them, or say in {PATHS[1]}/vulture_whitelist.py why not"
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
