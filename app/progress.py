"""A terminal progress bar for long loads and screenings, drawn only where a person is watching.

On a terminal it redraws one line on stderr; elsewhere (CI logs, pipes) it stays silent unless asked,
so scripted output stays clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

BAR_WIDTH = 30


class ProgressBar:
    """`update(done, label)` redraws at most ten times a second; `close()` ends the line."""

    def __init__(self, total: int, label: str = "", out: TextIO | None = None, enabled: bool | None = None):
        self.total = max(total, 1)
        self.label = label
        self.out = out or sys.stderr
        self.enabled = self.out.isatty() if enabled is None else enabled
        self._started = time.monotonic()
        self._drawn = 0.0
        self._done = 0

    def update(self, done: int, label: str | None = None) -> None:
        """Move to `done` of `total` (and rename the step, if `label` is given)."""
        self._done = min(max(done, 0), self.total)
        if label is not None:
            self.label = label
        now = time.monotonic()
        if self.enabled and (now - self._drawn >= 0.1 or self._done == self.total):
            self._drawn = now
            self._draw(now)

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.out.write("\n")
            self.out.flush()

    def _draw(self, now: float) -> None:
        share = self._done / self.total
        filled = int(share * BAR_WIDTH)
        elapsed = now - self._started
        eta = f", ~{elapsed / share - elapsed:.0f}s left" if 0 < share < 1 else ""
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.out.write(f"\r{self.label:28.28} [{bar}] {self._done:,}/{self.total:,} ({elapsed:.0f}s{eta})")
        self.out.flush()
