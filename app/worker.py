"""The one background-thread shape the service uses: screening jobs, the change tracker, webhook deliveries.

Each is a daemon thread that does its work when woken (a new job, a write, a change to deliver) and at
least every few seconds otherwise (a write from another process, a retry coming due). A store outage or a
tenant's trouble must not kill the thread: the error is logged and the next round tries again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from app.errors import TracegraphError

log = logging.getLogger("tracegraph.worker")


class Worker:
    """A daemon thread running `work()` when woken and every `poll_s` seconds, until stopped."""

    def __init__(self, name: str, work: Callable[[], object], what: str) -> None:
        self.name = name
        self._work = work
        self._what = what  # for the log: "screening jobs", "change tracking", ...
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, poll_s: float) -> None:
        """Start the thread (idempotent); the first round runs at once, resuming what a process left."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, args=(poll_s,), name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to stop after its current step and wait for it (at most `timeout` seconds)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wake(self) -> None:
        """Run a round now rather than at the next poll: there is new work."""
        self._wake.set()

    @property
    def stopping(self) -> bool:
        """True once `stop` was called: long work checks it between steps."""
        return self._stop.is_set()

    def sleep(self, seconds: float) -> bool:
        """Wait `seconds` (a retry's backoff) unless stopped meanwhile; True if stopped."""
        return self._stop.wait(seconds)

    def _loop(self, poll_s: float) -> None:
        while not self._stop.is_set():
            try:
                self._work()
            except TracegraphError as e:  # store down or a tenant mid-load: the next round retries
                log.warning("%s paused: %s", self._what, e.detail)
            self._wake.wait(timeout=poll_s)
            self._wake.clear()
