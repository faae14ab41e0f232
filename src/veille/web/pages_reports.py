"""Reports for any period: charts, CSV and PDF exports."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
