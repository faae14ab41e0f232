"""SVG charts: well-formed, proportional, and immune to hostile labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from veille.report.charts import horizontal_bars, line_chart, stacked_bars

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '</text><script>alert("x")</script><text onload="steal()">\x01 & Cie'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{{{NS['svg']}}}text")]


def test_hostile_labels_stay_text_in_every_chart() -> None:
    charts = [
        line_chart([HOSTILE, "mardi"], [(HOSTILE, [1.0, 2.0])], title=HOSTILE, area=True),
        stacked_bars([HOSTILE], [(HOSTILE, [3.0]), ("neutre", [1.0])], title=HOSTILE),
        horizontal_bars([(HOSTILE, 0.4), ("Peinture Martin", 0.6)], title=HOSTILE),
    ]
    for svg in charts:
        root = parse(svg)
        assert not list(root.iter(f"{{{NS['svg']}}}script"))
        assert "<script" not in svg and "onload=" not in svg.replace("onload=&quot;", "")
        assert all("onload" not in node.attrib for node in root.iter())
        # The name is shown as written, minus the control character XML cannot carry.
        shown = HOSTILE.replace("\x01", "")
        assert any(shown in t or shown[:31] in t for t in texts(root))
        assert root.attrib["aria-label"] == shown


def test_share_of_voice_bars_are_proportional_and_highlight_the_business() -> None:
    svg = horizontal_bars(
        [("Peinture Martin", 0.5), ("Dupont Peinture", 0.25), ("Déco 49", 0.25)],
        title="Part de voix",
        highlight="Peinture Martin",
    )
    rects = list(parse(svg).iter(f"{{{NS['svg']}}}rect"))
    widths = [float(r.attrib["width"]) for r in rects]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[1] == widths[2]
    assert rects[0].attrib["fill"] != rects[1].attrib["fill"] == rects[2].attrib["fill"]
    assert {"50%", "25%"} <= set(texts(parse(svg)))


def test_stacked_bars_stack_and_line_gaps_split_the_line() -> None:
    svg = stacked_bars(
        ["lun", "mar"], [("positif", [2.0, 1.0]), ("négatif", [2.0, 0.0])], title="Sentiment"
    )
    rects = [
        r for r in parse(svg).iter(f"{{{NS['svg']}}}rect") if r.find("svg:title", NS) is not None
    ]
    heights = [float(r.attrib["height"]) for r in rects]
    assert len(rects) == 3  # a zero value draws nothing
    assert heights[0] == pytest.approx(heights[1]) == pytest.approx(2 * heights[2])
    line = line_chart(["a", "b", "c", "d", "e"], [("volume", [1, 2, None, 4, 5])], title="Volume")
    assert len(list(parse(line).iter(f"{{{NS['svg']}}}polyline"))) == 2


def test_empty_data_draws_a_note_and_mismatched_lengths_are_refused() -> None:
    svg = line_chart([], [], title="Volume", empty_text="Pas encore de données")
    assert "Pas encore de données" in texts(parse(svg))
    assert "Rien" in texts(parse(horizontal_bars([], title="Part de voix", empty_text="Rien")))
    with pytest.raises(ValueError, match="series 'volume' has 2 values for 3 labels"):
        line_chart(["a", "b", "c"], [("volume", [1, 2])], title="Volume")


def test_many_labels_are_thinned() -> None:
    labels = [f"{h:02d}h" for h in range(48)]
    svg = line_chart(labels, [("posts", [float(h % 5) for h in range(48)])], title="48 h")
    shown = [t for t in texts(parse(svg)) if t.endswith("h") and t[:2].isdigit()]
    assert 4 <= len(shown) <= 9
