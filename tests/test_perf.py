"""The process-wide performance switches: whatever nests or overlaps, the process ends as it started."""

from __future__ import annotations

import sys
import threading

from app.perf import PROMPT_SWITCH_INTERVAL_S, prompt_switching


def test_prompt_switching_is_restored_by_the_last_block_to_end() -> None:
    before = sys.getswitchinterval()
    assert before > PROMPT_SWITCH_INTERVAL_S
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with prompt_switching():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    with prompt_switching():
        assert sys.getswitchinterval() == PROMPT_SWITCH_INTERVAL_S
        thread.start()
        assert inside.wait(5)
    # This block ended first; the other thread's is still open, so switching stays prompt.
    assert sys.getswitchinterval() == PROMPT_SWITCH_INTERVAL_S
    leave.set()
    thread.join(5)
    assert sys.getswitchinterval() == before
