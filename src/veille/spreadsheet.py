"""CSV files a spreadsheet opens as data, never as formulas (OWASP "CSV injection").

A post's text is written by strangers: a cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab
or carriage return, which some spreadsheets skip, or a NUL, as ASVS 5.0 1.2.10 lists) would run as a
formula in Excel or LibreOffice. Such cells get a leading apostrophe, which spreadsheets show
as text and do not display. Numbers are written as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value: object) -> object:
    """The value, with an apostrophe in front when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(target: TextIO, rows: Iterable[Sequence[object]]) -> None:
    """Write rows as CSV, every text cell made safe for spreadsheets."""
    writer = csv.writer(target)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
