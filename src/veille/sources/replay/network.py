"""Replay, declared once: a Post JSON lines file fed to the pipeline as if it were live.
Its posts keep their own network; it has no accounts and cannot publish."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from veille.sources.base import Listener
from veille.sources.network import Network, SourcesFile
from veille.sources.replay.client import ReplayListener


def from_sources_file(sections: Sequence[dict[str, Any]], file: SourcesFile) -> list[Listener]:
    return [
        ReplayListener(file.path.parent / str(name))
        for section in sections
        for name in section.get("files", [])
    ]


NETWORK = Network(
    name="replay",
    display_name="Replay (Post JSON)",
    network=None,
    sources_section="replay",
    from_sources_file=from_sources_file,
)
