"""The recordings of ``../shared/data/real-payloads`` (read by path, never copied here)."""

from __future__ import annotations

from pathlib import Path

import pytest

# The repository's parent holds shared/ beside the clone (as CI lays it out).
REAL_PAYLOADS = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real-payloads"
).resolve()


def real_payloads() -> Path:
    """The folder, or a clean skip saying why the test cannot run."""
    if not REAL_PAYLOADS.is_dir():
        pytest.skip(f"the real payloads are not beside the repository ({REAL_PAYLOADS} absent)")
    return REAL_PAYLOADS
