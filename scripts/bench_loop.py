"""Loop primitives for scripts/bench, on dgram_uv: next_tick, set_immediate, set_timeout(0).

Usage: bench_loop.py PRIM PATTERN COUNT
PRIM: next_tick, set_immediate or set_timeout; PATTERN: queued or chained.

From inside the running loop (a 5 ms timer after start-up), one pattern:

* ``queued``: COUNT callbacks are scheduled in one go, then run; the process
  CPU time (user + system) from before the first is scheduled to the end of the
  last callback, per callback, in ns (scheduling + dispatch);
* ``chained``: each callback schedules the next, COUNT of them
  (``set_timeout(cb, 0)`` waits 1 ms each, as in Node): CPU ns per callback,
  and the wall time per callback for reference.

A tenth of COUNT goes first as a warm-up, the same way.  One primitive and
pattern per process, so garbage and collector work of one never lands in
another's figure.  One JSON line: ``{PRIM}_{PATTERN}_ns`` and ``..._wall_ns``.
The JS twin is bench_loop.js.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

process_time, monotonic_ns = time.process_time, time.monotonic_ns


def main(argv: list[str]) -> int:
    import dgram_uv as dgram

    prim, pattern, count = argv[1], argv[2], int(argv[3])
    if prim not in ('next_tick', 'set_immediate', 'set_timeout') or pattern not in (
            'queued', 'chained'):
        print('usage: bench_loop.py {next_tick|set_immediate|set_timeout} {queued|chained} N',
              file=sys.stderr)
        return 2
    next_tick, set_immediate, set_timeout = dgram.next_tick, dgram.set_immediate, dgram.set_timeout
    key = f'{prim}_{pattern}'
    out: dict[str, Any] = {'impl': 'dgram_uv'}

    # Written out per primitive: no extra Python frame between the loop and it.
    def schedule(n: int, cb: Callable[[], None]) -> None:
        if prim == 'next_tick':
            for _ in range(n):
                next_tick(cb)
        elif prim == 'set_immediate':
            for _ in range(n):
                set_immediate(cb)
        else:
            for _ in range(n):
                set_timeout(cb, 0)

    def phase(n: int, then: Callable[[float, int], None]) -> None:
        left = [n]
        cpu0, wall0 = process_time(), monotonic_ns()

        def done() -> None:
            then((process_time() - cpu0) * 1e9 / n, (monotonic_ns() - wall0) // n)

        if pattern == 'queued':
            def cb() -> None:
                left[0] -= 1
                if not left[0]:
                    done()
            schedule(n, cb)
            return

        # One link function per primitive: no dispatch inside the measured chain.
        if prim == 'next_tick':
            def link() -> None:
                left[0] -= 1
                if left[0]:
                    next_tick(link)
                else:
                    done()
        elif prim == 'set_immediate':
            def link() -> None:
                left[0] -= 1
                if left[0]:
                    set_immediate(link)
                else:
                    done()
        else:
            def link() -> None:
                left[0] -= 1
                if left[0]:
                    set_timeout(link, 0)
                else:
                    done()
        schedule(1, link)

    def measured(ns: float, wall_ns: int) -> None:
        out[f'{key}_ns'], out[f'{key}_wall_ns'] = ns, wall_ns
        print(json.dumps(out), flush=True)

    def warmed(ns: float, wall_ns: int) -> None:
        set_timeout(phase, 5, count, measured)

    set_timeout(phase, 5, max(count // 10, 1), warmed)
    dgram.run()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
