"""One colour per sentiment, everywhere: the stylesheet's variables, the SVG charts and the PDFs
all take them from here (tests/report/test_colours.py checks the stylesheet agrees)."""

from __future__ import annotations

SENTIMENT = {"positive": "#067647", "neutral": "#6b7280", "negative": "#b42318"}
UNANALYSED = "#d0d5dd"  # posts whose sentiment was not read (reports only)


def rgb(colour: str) -> tuple[int, int, int]:
    """ "#b42318" as (180, 35, 24), for the PDF's fill colours."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
