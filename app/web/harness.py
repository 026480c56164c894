"""The real app on a real port, for a real browser: shared by the browser tests and `scripts/screenshots.py`.

Pages are tested the way an auditor meets them, so the app runs under uvicorn (not a test client) and
Debian's chromium drives it through Playwright. The browser is the system's (`scripts/chromium.sh`
installs it), never one Playwright downloads; `TRACEGRAPH_CHROMIUM` points elsewhere if needed.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn
from fastapi import FastAPI

CHROMIUM_ENV = "TRACEGRAPH_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: flags for chromium in a container running as root: no setuid sandbox, no GPU
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")


class ChromiumMissingError(RuntimeError):
    """The system chromium the browser tests need is not installed where the setting says."""


#: a change for the change feed to show (browser tests, README screenshots): the demo crossbar's extrusion
#: plant turns out to be in Aksu, Xinjiang, so HP-RACK-XB goes from no risk to the presumption
FEED_CHANGE: tuple[str, dict[str, str]] = (
    "F-SGP-EXT",
    {
        "company_id": "C-SGP",
        "name": "Saguenay Profilés extrusion plant",
        "activity": "manufacturing",
        "address": "8 Hetian Road",
        "city": "Aksu",
        "region": "Xinjiang",
        "country": "CN",
    },
)


def chromium_executable() -> str:
    """The chromium to drive; raises with the one command that fixes a missing browser."""
    path = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    if not Path(path).is_file() or not os.access(path, os.X_OK):
        raise ChromiumMissingError(
            f"no chromium at {path} ({CHROMIUM_ENV}): run `bash scripts/chromium.sh` to install Debian's "
            "chromium, or set TRACEGRAPH_CHROMIUM to a chromium executable"
        )
    return path


class LiveServer:
    """`app` served by uvicorn on a free loopback port in a background thread (a context manager)."""

    def __init__(self, app: FastAPI, startup_timeout_s: float = 30.0) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True, name="live-server"
        )
        self._timeout = startup_timeout_s

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + self._timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start on {self.url}")
            time.sleep(0.05)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=self._timeout)
        self._socket.close()
