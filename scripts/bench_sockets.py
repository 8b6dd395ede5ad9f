"""Socket churn and memory per socket for scripts/bench, in Python: dgram_uv or raw pyuv.

Usage: bench_sockets.py IMPL churn COUNT BATCH
       bench_sockets.py IMPL memory COUNT                (IMPL: dgram_uv or pyuv)

* ``churn``: sockets are created, bound to port 0 (all addresses) and closed,
  BATCH at a time: each socket is closed from its bind callback (its
  ``'listening'``), and the next batch starts when the whole batch has emitted
  ``'close'``.  A warm-up of COUNT // 10 sockets (at least one batch) goes
  first; then the process CPU time (user + system) of COUNT sockets gives
  ``us_per_socket``.
* ``memory``: after a warm-up (one bound socket created and closed), the
  resident set size (``/proc/self/statm``) is read, COUNT sockets are created and
  bound to 127.0.0.1:0, and once all are listening (and a ``gc.collect()``),
  it is read again: ``kb_per_socket`` = the growth / COUNT.  Kernel memory of
  the sockets is not in it (it is the same for every implementation).

Raw pyuv: ``pyuv.UDP(loop)``, ``bind(('0.0.0.0', 0))``, ``close(callback)``.
``floor`` (churn only): the floor of any Python program that keeps Node's
order, on raw pyuv: a socket with a dict of listeners, ``bind(0, callback)``
adding Node's two listeners for the callback and queuing the lookup's tick, that
tick binding, starting to receive and emitting ``'listening'``, ``close(cb)``
adding a ``'close'`` listener, stopping, closing and emitting ``'close'`` on the
next tick -- Node's structure in the thinnest Python, none of its checks.
One JSON line on stdout.  The JS twin is bench_sockets.js.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

process_time = time.process_time
PAGE = os.sysconf('SC_PAGE_SIZE')


def rss_bytes() -> int:
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * PAGE


def churn_dgram_uv(count: int, batch: int) -> None:
    import dgram_uv as dgram

    create_socket = dgram.create_socket

    def run_batch(left: int, then: Callable[[], None]) -> None:
        n = min(batch, left)
        pending = [n]

        def on_close() -> None:
            pending[0] -= 1
            if not pending[0]:
                if left - n:
                    run_batch(left - n, then)
                else:
                    then()

        for _ in range(n):
            sock = create_socket('udp4')
            sock.bind(0, lambda s=sock: s.close(on_close))

    def measure() -> None:
        cpu0 = process_time()
        run_batch(count, lambda: print(json.dumps({
            'impl': 'dgram_uv', 'measured': count,
            'us_per_socket': (process_time() - cpu0) * 1e6 / count}), flush=True))

    run_batch(max(count // 10, batch), measure)
    dgram.run()


def churn_in_batches(impl: str, count: int, batch: int, one_batch: Callable[[int], None]) -> None:
    """Churn without dgram_uv's loop (raw pyuv, floor): ``one_batch(n)`` makes,
    binds and closes n sockets and returns once they are closed; a warm-up of
    COUNT // 10 (at least one batch) first, then COUNT measured."""
    def run(left: int) -> None:
        while left:
            n = min(batch, left)
            left -= n
            one_batch(n)

    run(max(count // 10, batch))
    cpu0 = process_time()
    run(count)
    print(json.dumps({'impl': impl, 'measured': count,
                      'us_per_socket': (process_time() - cpu0) * 1e6 / count}), flush=True)


def churn_pyuv(count: int, batch: int) -> None:
    import pyuv

    loop = pyuv.Loop.default_loop()
    UDP = pyuv.UDP

    pending = [0]

    def on_close(handle: Any) -> None:
        pending[0] -= 1

    def one_batch(n: int) -> None:
        pending[0] = n
        for _ in range(n):
            handle = UDP(loop)
            handle.bind(('0.0.0.0', 0))
            handle.close(on_close)
        loop.run()   # returns once the batch has closed
        assert not pending[0]

    churn_in_batches('pyuv', count, batch, one_batch)


def churn_floor(count: int, batch: int) -> None:
    import collections

    import pyuv

    loop = pyuv.Loop.default_loop()
    ticks: collections.deque[tuple[Callable[..., Any], tuple[Any, ...]]] = collections.deque()
    tick = ticks.append

    class Socket:
        __slots__ = ('handle', 'events')

        def __init__(self) -> None:
            self.handle = pyuv.UDP(loop)
            self.events: dict[str, tuple[Callable[..., Any], ...]] = {}

        def on(self, event: str, listener: Callable[..., Any]) -> None:
            self.events[event] = (*self.events.get(event, ()), listener)

        def remove_listener(self, event: str, listener: Callable[..., Any]) -> None:
            left = tuple(f for f in self.events.get(event, ()) if f != listener)
            if left:
                self.events[event] = left
            else:
                self.events.pop(event, None)

        def emit(self, event: str) -> None:
            for listener in self.events.get(event, ()):
                listener()

        def bind(self, port: int, callback: Callable[[], Any]) -> None:
            def remove_listeners(*_: Any) -> None:
                self.remove_listener('error', remove_listeners)
                self.remove_listener('listening', on_listening)

            def on_listening() -> None:
                remove_listeners()
                callback()
            self.on('error', remove_listeners)
            self.on('listening', on_listening)
            tick((self.after_lookup, ('0.0.0.0', port)))    # the lookup's tick

        def after_lookup(self, ip: str, port: int) -> None:
            self.handle.bind((ip, port))
            self.handle.start_recv(on_message)
            self.emit('listening')

        def close(self, callback: Callable[[], Any]) -> None:
            self.on('close', callback)
            self.handle.stop_recv()
            self.handle.close()
            tick((self.emit, ('close',)))

    def on_message(*_: Any) -> None:
        pass

    pending = [0]

    def on_close() -> None:
        pending[0] -= 1

    def one_batch(n: int) -> None:
        pending[0] = n
        for _ in range(n):
            sock = Socket()
            sock.bind(0, lambda s=sock: s.close(on_close))
        while ticks:
            callback, args = ticks.popleft()
            callback(*args)
        assert not pending[0]
        loop.run()   # the handles' close phase

    churn_in_batches('floor', count, batch, one_batch)


def memory_dgram_uv(count: int) -> None:
    import dgram_uv as dgram

    socks: list[Any] = []
    listening = [0]

    def on_listening() -> None:
        listening[0] += 1
        if listening[0] == count:
            gc.collect()
            rss1 = rss_bytes()
            print(json.dumps({'impl': 'dgram_uv', 'measured': count,
                              'kb_per_socket': (rss1 - st['rss0']) / 1024 / count}), flush=True)
            for s in socks:
                s.close()

    def start() -> None:
        gc.collect()
        st['rss0'] = rss_bytes()
        for _ in range(count):
            sock = dgram.create_socket('udp4')
            socks.append(sock)
            sock.bind(0, '127.0.0.1', on_listening)

    st = {'rss0': 0}
    warm = dgram.create_socket('udp4')
    warm.bind(0, '127.0.0.1', lambda: warm.close(lambda: dgram.set_immediate(start)))
    dgram.run()


def memory_pyuv(count: int) -> None:
    import pyuv

    loop = pyuv.Loop.default_loop()
    warm = pyuv.UDP(loop)
    warm.bind(('127.0.0.1', 0))
    warm.close()
    loop.run()
    gc.collect()
    rss0 = rss_bytes()
    handles = []
    for _ in range(count):
        handle = pyuv.UDP(loop)
        handle.bind(('127.0.0.1', 0))
        handles.append(handle)
    gc.collect()
    rss1 = rss_bytes()
    print(json.dumps({'impl': 'pyuv', 'measured': count,
                      'kb_per_socket': (rss1 - rss0) / 1024 / count}), flush=True)
    for handle in handles:
        handle.close()
    loop.run()


def main(argv: list[str]) -> int:
    impl, what, count = argv[1], argv[2], int(argv[3])
    if (impl not in ('dgram_uv', 'pyuv', 'floor') or what not in ('churn', 'memory')
            or (impl, what) == ('floor', 'memory')):
        print('usage: bench_sockets.py {dgram_uv|pyuv|floor} churn COUNT [BATCH]\n'
              '       bench_sockets.py {dgram_uv|pyuv} memory COUNT', file=sys.stderr)
        return 2
    if what == 'churn':
        batch = int(argv[4]) if len(argv) > 4 else 100
        {'dgram_uv': churn_dgram_uv, 'pyuv': churn_pyuv, 'floor': churn_floor}[impl](count, batch)
    else:
        (memory_dgram_uv if impl == 'dgram_uv' else memory_pyuv)(count)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
