"""The measured sender of scripts/bench, in Python: dgram_uv or raw pyuv.

Usage: bench_send.py MODE PORT SIZE COUNT [BURST]

MODE is one of

* ``dgram_uv_cb``: ``sock.send(buf, PORT, '127.0.0.1', callback)``;
* ``dgram_uv``: the same without a callback;
* ``pyuv_try``: raw pyuv ``UDP.try_send(addr, buf)`` (libuv's
  ``uv_udp_try_send``, what Node's ``UDPWrap::DoSend`` tries first);
* ``pyuv_send_cb``: raw pyuv ``UDP.send(addr, buf, callback)`` (``uv_udp_send``);
* ``floor_cb``, ``floor``: the floor of any Python program that keeps Node's
  order: ``sock.send(buf, PORT, '127.0.0.1'[, callback])`` is a method that
  queues the lookup's tick; that tick calls raw pyuv's ``try_send`` and queues
  the callback's tick -- Node's two ticks, in the thinnest Python (a deque of
  ticks drained after each burst), with none of Node's checks or state.

Each sends SIZE-byte datagrams to 127.0.0.1:PORT (a draining sink, see
bench_sink.py) in bursts of BURST (default 100) per loop iteration: a burst is
issued from one callback and the next burst is scheduled behind it, as a
server answering many requests per wake-up does.  COUNT // 10 (at least 1000)
datagrams go first as a warm-up through the same path; then process CPU time
(``time.process_time()``: user + system) is read, COUNT datagrams are sent, and
it is read again once every send has completed (every callback ran, the send
queue is empty).  Start-up and warm-up are excluded.  The one stdout line is a
JSON object: ``us_per_dgram`` and its user/sys split, ``sent``, ``errors``,
``total_sent`` (warm-up included, for the loss).
The JS twin is bench_send.js.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

process_time = time.process_time


def report(mode: str, count: int, cpu0: float, ru0: Any, wall0: float, sent: int,
           errors: int, total: int) -> None:
    cpu1, ru1, wall1 = process_time(), resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    print(json.dumps({
        'impl': mode, 'sent': sent, 'errors': errors, 'measured': count, 'total_sent': total,
        'us_per_dgram': (cpu1 - cpu0) * 1e6 / count,
        'user_us_per_dgram': (ru1.ru_utime - ru0.ru_utime) * 1e6 / count,
        'sys_us_per_dgram': (ru1.ru_stime - ru0.ru_stime) * 1e6 / count,
        'wall_s': round(wall1 - wall0, 4)}), flush=True)


def in_bursts(n: int, burst: int, send_burst: Callable[[int], None],
              loop_once: Callable[[], object]) -> None:
    """N sends, BURST at a time, each burst followed by one loop pass (raw pyuv, floor)."""
    while n:
        b = min(burst, n)
        n -= b
        send_burst(b)
        loop_once()


def warm_up_and_measure(mode: str, count: int, phase: Callable[[int], None],
                        st: dict[str, int]) -> None:
    """A warm-up of COUNT // 10 (at least 1000) through ``phase``, then COUNT measured."""
    warmup = max(count // 10, 1000)
    phase(warmup)
    st['errors'] = 0
    cpu0, ru0, wall0 = process_time(), resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    phase(count)
    report(mode, count, cpu0, ru0, wall0, count, st['errors'], warmup + count)


def run_dgram_uv(mode: str, port: int, size: int, count: int, burst: int) -> None:
    import dgram_uv as dgram

    sock = dgram.create_socket('udp4')
    payload = b'x' * size
    with_cb = mode == 'dgram_uv_cb'
    st = {'left': 0, 'done': 0, 'errors': 0, 'sent': 0}
    set_immediate = dgram.set_immediate
    send = sock.send

    def on_sent(err: Any, nbytes: Any = None) -> None:
        st['done'] += 1
        if err is not None:
            st['errors'] += 1

    def one_burst(then: Callable[[], None]) -> None:
        n = min(burst, st['left'])
        st['left'] -= n
        st['sent'] += n
        if with_cb:
            for _ in range(n):
                send(payload, port, '127.0.0.1', on_sent)
        else:
            for _ in range(n):
                send(payload, port, '127.0.0.1')
        set_immediate(one_burst if st['left'] else settled, then)

    def settled(then: Callable[[], None]) -> None:
        # Every send completed: all callbacks ran / nothing waits in the queue.
        busy = st['done'] < st['sent'] if with_cb else sock.get_send_queue_count() > 0
        set_immediate(settled, then) if busy else then()

    def phase(n: int, then: Callable[[], None]) -> None:
        st['left'] = n
        one_burst(then)

    def measure() -> None:
        cpu0, wall0 = process_time(), time.monotonic()
        ru0 = resource.getrusage(resource.RUSAGE_SELF)
        sent0 = st['sent']
        st['errors'] = 0

        def done() -> None:
            report(mode, count, cpu0, ru0, wall0, st['sent'] - sent0, st['errors'], st['sent'])
            sock.close()
        phase(count, done)

    set_immediate(phase, max(count // 10, 1000), measure)
    dgram.run()


def run_pyuv(mode: str, port: int, size: int, count: int, burst: int) -> None:
    import pyuv

    loop = pyuv.Loop.default_loop()
    handle = pyuv.UDP(loop)
    handle.bind(('0.0.0.0', 0))
    addr = ('127.0.0.1', port)
    payload = b'x' * size
    st = {'done': 0, 'errors': 0}
    nowait = pyuv.UV_RUN_NOWAIT
    try_send, send = handle.try_send, handle.send

    def on_sent(handle: Any, error: Any) -> None:
        st['done'] += 1
        if error is not None:
            st['errors'] += 1

    def send_burst(b: int) -> None:
        if mode == 'pyuv_send_cb':
            for _ in range(b):
                send(addr, payload, on_sent)
        else:
            for _ in range(b):
                try:
                    try_send(addr, payload)
                except pyuv.error.UDPError:
                    st['errors'] += 1
                st['done'] += 1

    def phase(n: int) -> None:
        # One burst, then one non-blocking loop iteration (completions run there).
        st['done'] = 0
        in_bursts(n, burst, send_burst, lambda: loop.run(nowait))
        while st['done'] < n:
            loop.run(nowait)

    warm_up_and_measure(mode, count, phase, st)
    handle.close()
    loop.run()


def run_floor(mode: str, port: int, size: int, count: int, burst: int) -> None:
    import collections

    import pyuv

    loop = pyuv.Loop.default_loop()
    payload = b'x' * size
    st = {'done': 0, 'errors': 0}
    nowait = pyuv.UV_RUN_NOWAIT
    ticks: collections.deque[tuple[Callable[..., None], tuple[Any, ...]]] = collections.deque()
    tick, next_tick = ticks.append, ticks.popleft
    udp_error = pyuv.error.UDPError

    def on_sent(err: Any, nbytes: Any = None) -> None:
        st['done'] += 1

    class Socket:
        __slots__ = ('handle',)

        def __init__(self) -> None:
            self.handle = pyuv.UDP(loop)
            self.handle.bind(('0.0.0.0', 0))

        def send(self, msg: bytes, port: int, address: str,
                 callback: Callable[..., None] | None = None) -> None:
            tick((do_send, (self, msg, port, address, callback)))   # the lookup's tick

    def do_send(sock: Socket, msg: bytes, port: int, address: str,
                callback: Callable[..., None] | None) -> None:
        try:
            sock.handle.try_send((address, port), msg)
        except udp_error:
            st['errors'] += 1
        if callback is not None:
            tick((callback, (None, len(msg))))                      # the callback's tick
        else:
            st['done'] += 1

    sock = Socket()
    send = sock.send

    def send_burst(b: int) -> None:
        # The burst from one callback, then its ticks, as the loop drains them.
        if mode == 'floor_cb':
            for _ in range(b):
                send(payload, port, '127.0.0.1', on_sent)
        else:
            for _ in range(b):
                send(payload, port, '127.0.0.1')
        while ticks:
            callback, args = next_tick()
            callback(*args)

    warm_up_and_measure(mode, count, lambda n: in_bursts(n, burst, send_burst,
                                                         lambda: loop.run(nowait)), st)
    sock.handle.close()
    loop.run()


def main(argv: list[str]) -> int:
    mode, port, size, count = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
    burst = int(argv[5]) if len(argv) > 5 else 100
    if mode in ('dgram_uv', 'dgram_uv_cb'):
        run_dgram_uv(mode, port, size, count, burst)
    elif mode in ('pyuv_try', 'pyuv_send_cb'):
        run_pyuv(mode, port, size, count, burst)
    elif mode in ('floor', 'floor_cb'):
        run_floor(mode, port, size, count, burst)
    else:
        print(f'bench_send.py: unknown mode {mode!r}', file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
