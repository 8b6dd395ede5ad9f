"""The echo (ping-pong) benchmark of scripts/bench, in Python: dgram_uv or raw pyuv.

Usage: bench_echo.py IMPL server WARMUP COUNT MAX_SECONDS
       bench_echo.py IMPL client PORT WARMUP COUNT MAX_SECONDS      (IMPL: dgram_uv or pyuv)

One 64-byte datagram in flight at a time on 127.0.0.1.  The server binds
127.0.0.1:0, prints its port and sends every datagram back to its sender.  The
client sends a ping, and sends the next one from the listener that receives the
reply, WARMUP + COUNT times; the first WARMUP round trips are not measured.

* round-trip time: ``time.perf_counter_ns()`` just before the client's
  ``send`` and first thing in its listener; the client prints the median and
  the 99th percentile of the COUNT measured round trips;
* CPU time (``time.process_time()``, user + system) of each side over the
  measured round trips: the client from before the first measured ping to its
  last reply (COUNT round trips), the server from the arrival of the first
  measured ping to the arrival of the last (COUNT - 1 round trips).

dgram_uv uses ``sock.send(msg, port, address)`` and a ``'message'`` listener on
both sides, as a Node program would; raw pyuv uses ``start_recv`` and
``try_send``.  Each side prints one JSON line when done; the client gives up
(``"error": "lost"``) if a reply does not come within a second.  The JS twin is
bench_echo.js.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
import time
from typing import Any

process_time, perf_counter_ns = time.process_time, time.perf_counter_ns
PAYLOAD = b'p' * 64


def rtt_report(impl: str, rtts: list[int], cpu_us: float) -> dict[str, Any]:
    rtts.sort()
    n = len(rtts)
    return {'impl': impl, 'role': 'client', 'measured': n,
            'rtt_median_us': statistics.median(rtts) / 1e3,
            'rtt_p99_us': rtts[max(math.ceil(0.99 * n) - 1, 0)] / 1e3,
            'cpu_us_per_rt': cpu_us / n}


def server_dgram_uv(warmup: int, count: int, max_seconds: float) -> None:
    import dgram_uv as dgram

    sock = dgram.create_socket('udp4')
    st = {'n': 0, 'cpu0': 0.0}
    send = sock.send

    def on_message(msg: bytes, rinfo: Any) -> None:
        n = st['n'] = st['n'] + 1
        if n == warmup + 1:
            st['cpu0'] = process_time()
        elif n == warmup + count:
            cpu_us = (process_time() - st['cpu0']) * 1e6
            print(json.dumps({'impl': 'dgram_uv', 'role': 'server',
                              'cpu_us_per_rt': cpu_us / max(count - 1, 1)}), flush=True)
            dgram.set_timeout(stop, 200)   # after the last reply has left
        send(msg, rinfo.port, rinfo.address)

    def stop() -> None:
        dgram.clear_timeout(deadline)
        sock.close()

    sock.on('message', on_message)
    sock.bind(0, '127.0.0.1', lambda: print(sock.address().port, flush=True))
    deadline = dgram.set_timeout(sock.close, max_seconds * 1000)
    dgram.run()


def client_dgram_uv(port: int, warmup: int, count: int, max_seconds: float) -> None:
    import dgram_uv as dgram

    sock = dgram.create_socket('udp4')
    rtts: list[int] = []
    st: dict[str, Any] = {'i': 0, 't0': 0, 'cpu0': 0.0, 'seen': -1}
    send = sock.send

    def ping() -> None:
        i = st['i'] = st['i'] + 1
        if i == warmup + 1:
            st['cpu0'] = process_time()
        st['t0'] = perf_counter_ns()
        send(PAYLOAD, port, '127.0.0.1')

    def on_message(msg: bytes, rinfo: Any) -> None:
        t = perf_counter_ns()
        i = st['i']
        if i > warmup:
            rtts.append(t - st['t0'])
        if i == warmup + count:
            cpu_us = (process_time() - st['cpu0']) * 1e6
            print(json.dumps(rtt_report('dgram_uv', rtts, cpu_us)), flush=True)
            dgram.clear_interval(watchdog)
            sock.close()
        else:
            ping()

    def check() -> None:
        if st['seen'] == st['i']:
            print(json.dumps({'impl': 'dgram_uv', 'error': 'lost', 'at': st['i']}), flush=True)
            dgram.clear_interval(watchdog)
            sock.close()
        st['seen'] = st['i']

    sock.on('message', on_message)
    watchdog = dgram.set_interval(check, 1000)
    ping()
    dgram.run()


def server_pyuv(warmup: int, count: int, max_seconds: float) -> None:
    import pyuv

    loop = pyuv.Loop.default_loop()
    handle = pyuv.UDP(loop)
    timer = pyuv.Timer(loop)
    st = {'n': 0, 'cpu0': 0.0}

    def on_recv(handle: Any, addr: Any, flags: int, data: Any, error: Any) -> None:
        if data is None:
            return
        n = st['n'] = st['n'] + 1
        if n == warmup + 1:
            st['cpu0'] = process_time()
        elif n == warmup + count:
            cpu_us = (process_time() - st['cpu0']) * 1e6
            print(json.dumps({'impl': 'pyuv', 'role': 'server',
                              'cpu_us_per_rt': cpu_us / max(count - 1, 1)}), flush=True)
            timer.start(stop, 0.2, 0)
        handle.try_send(addr, data)

    def stop(t: Any) -> None:
        timer.close()
        handle.close()

    handle.bind(('127.0.0.1', 0))
    handle.start_recv(on_recv)
    print(handle.getsockname()[1], flush=True)
    timer.start(stop, max_seconds, 0)
    loop.run()


def client_pyuv(port: int, warmup: int, count: int, max_seconds: float) -> None:
    import pyuv

    loop = pyuv.Loop.default_loop()
    handle = pyuv.UDP(loop)
    timer = pyuv.Timer(loop)
    addr = ('127.0.0.1', port)
    rtts: list[int] = []
    st: dict[str, Any] = {'i': 0, 't0': 0, 'cpu0': 0.0, 'seen': -1}

    def ping() -> None:
        i = st['i'] = st['i'] + 1
        if i == warmup + 1:
            st['cpu0'] = process_time()
        st['t0'] = perf_counter_ns()
        handle.try_send(addr, PAYLOAD)

    def on_recv(handle: Any, addr: Any, flags: int, data: Any, error: Any) -> None:
        t = perf_counter_ns()
        if data is None:
            return
        i = st['i']
        if i > warmup:
            rtts.append(t - st['t0'])
        if i == warmup + count:
            cpu_us = (process_time() - st['cpu0']) * 1e6
            print(json.dumps(rtt_report('pyuv', rtts, cpu_us)), flush=True)
            timer.close()
            handle.close()
        else:
            ping()

    def check(t: Any) -> None:
        if st['seen'] == st['i']:
            print(json.dumps({'impl': 'pyuv', 'error': 'lost', 'at': st['i']}), flush=True)
            timer.close()
            handle.close()
        st['seen'] = st['i']

    handle.bind(('127.0.0.1', 0))
    handle.start_recv(on_recv)
    timer.start(check, 1.0, 1.0)
    ping()
    loop.run()


def main(argv: list[str]) -> int:
    impl, role = argv[1], argv[2]
    if impl not in ('dgram_uv', 'pyuv') or role not in ('server', 'client'):
        print('usage: bench_echo.py {dgram_uv|pyuv} {server|client} ...', file=sys.stderr)
        return 2
    if role == 'server':
        warmup, count, max_seconds = int(argv[3]), int(argv[4]), float(argv[5])
        (server_dgram_uv if impl == 'dgram_uv' else server_pyuv)(warmup, count, max_seconds)
    else:
        port, warmup, count, max_seconds = int(argv[3]), int(argv[4]), int(argv[5]), float(argv[6])
        (client_dgram_uv if impl == 'dgram_uv' else client_pyuv)(port, warmup, count, max_seconds)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
