"""A timer set and cleared before it is due leaves nothing behind: Node removes
its list from the timer queue at once (``removeAt``); here the queue's stale
entries are swept, so it stays the size of the live lists (found by scripts/soak:
300,000 set-and-cleared timers grew RSS by 200 MB)."""

from __future__ import annotations

import dgram_uv as dgram
from dgram_uv._binding import timers


def test_cleared_timers_do_not_grow_the_queue() -> None:
    keeper = dgram.set_timeout(lambda: None, 5)        # one live list of another duration
    peak = 0
    for n in range(20_000):
        dgram.clear_timeout(dgram.set_timeout(lambda: None, 60_000 + n % 7))
        peak = max(peak, len(timers._list_queue))
    assert peak <= 2 * 8 + 64 + 1, peak
    dgram.clear_timeout(keeper)
    fired: list[int] = []
    dgram.set_timeout(fired.append, 1, 1)                # the queue still orders what is left
    dgram.set_timeout(fired.append, 3, 3)
    dgram.set_timeout(fired.append, 2, 2)
    dgram.run()
    assert fired == [1, 2, 3]
