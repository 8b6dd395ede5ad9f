"""Soak probe ``eagain``: bursts of sends through tiny send buffers.

``python scripts/soak_eagain.py eagain [--quick]``; see scripts/soak_run.py.
"""

from __future__ import annotations

import os
import subprocess
import time
from typing import Any

from soak_common import Result, Snapshot, check_drift, main, node

import dgram_uv as dgram

HOST = '127.0.0.1'
BURST = 64
BURST_SIZE = 8000
# On plain loopback the kernel frees a datagram's send-buffer charge inside
# sendto(), so a UDP send never meets EAGAIN.  A token-bucket qdisc on the
# loopback of a private network namespace holds sent datagrams (charged to
# the sender) until the bucket refills: 16 Mbit/s passes one 8000-byte
# datagram per 4 ms, so a burst fills a 4096-byte send buffer at once.
# Each burst starts after PAUSE_MS of quiet, when the qdisc is empty and its
# bucket full, so how many sends pass before the first EAGAIN is the same in
# every round and in Node's run of the same program (unless a send is delayed
# by more than the 4 ms one datagram's tokens take).
QDISC = ['tbf', 'rate', '16mbit', 'burst', '16kb', 'latency', '2s']
PAUSE_MS = 30

_NODE_BURST = """
const dgram = require('dgram');
const [rounds, burst, size, pause] = process.argv.slice(1).map(Number);
const rx = dgram.createSocket({type: 'udp4', recvBufferSize: 1 << 22});
const out = [];
let received = 0;
rx.on('message', () => { received++; });
rx.bind(0, '127.0.0.1', () => setTimeout(round, pause, 0));
function round(r) {
  if (r === rounds) { rx.close(); console.log(JSON.stringify(out)); return; }
  const tx = dgram.createSocket({type: 'udp4', sendBufferSize: 4096});
  tx.connect(rx.address().port, '127.0.0.1', () => {
    let calls = 0, errors = 0, count = -1, bytes = -1;
    received = 0;
    const waitArrival = () => {
      if (received < burst) return setTimeout(waitArrival, 5);
      tx.close(() => setTimeout(round, pause, r + 1));
    };
    for (let i = 0; i < burst; i++) {
      tx.send(Buffer.alloc(size), (err) => {
        calls++; if (err) errors++;
        if (calls === burst) {
          out.push([count, bytes, tx.getSendQueueCount(), tx.getSendQueueSize(), errors]);
          waitArrival();
        }
      });
    }
    count = tx.getSendQueueCount(); bytes = tx.getSendQueueSize();
  });
}
"""


def _private_loopback() -> str | None:
    """Move this process into a new network namespace whose ``lo`` is up with
    QDISC on it; None, or why that failed."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(0x40000000) != 0:   # CLONE_NEWNET
        return (f'unshare(CLONE_NEWNET) failed: {os.strerror(ctypes.get_errno())} '
                '(needs root: a private network namespace)')
    for cmd in (['ip', 'link', 'set', 'lo', 'up'],
                ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', *QDISC]):
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            return f'{" ".join(cmd)}: {proc.stderr.strip()}'
    return None


def _mode(values: list[int]) -> int:
    return max(sorted(set(values)), key=values.count) if values else -1


def _queue_figure(counts: list[int]) -> str:
    """The usual queue count after a connected burst, and in how many rounds it was that."""
    mode = _mode(counts)
    return f'{mode}({counts.count(mode)}/{len(counts)})'


def eagain(quick: bool) -> Result:
    """Bursts of BURST sends of BURST_SIZE bytes from sockets with
    sendBufferSize 4096, through the qdisc, in rounds that cycle through
    three modes: connected (sync queue counts), with an address (the sends
    start after the lookup tick), and connected then closed at once (the
    queued sends are cancelled).  Every send callback is called exactly once,
    in order, without error, except ECANCELED for sends cancelled by close;
    every send reported ok arrives; the queue count and size are BURST - k and
    (BURST - k) * size after a burst and 0 when the last callback runs.  The
    connected burst's queue figures are compared with the Node oracle's."""
    rounds = 9 if quick else 60
    result = Result('eagain')
    why = _private_loopback()
    if why is not None:
        result.failures.append(why)
        return result
    fd_before = Snapshot.take().fds
    modes = ('connected', 'address', 'close')
    received = [0] * rounds
    state: dict[str, Any] = {'queued': [], 'bad': [], 'ok': 0, 'cancelled': 0, 'base': None,
                             'end': None, 'round_end': 0.0}
    rx = dgram.create_socket({'type': 'udp4', 'recvBufferSize': 1 << 22})

    def on_message(msg: bytes, rinfo: Any) -> None:
        received[int.from_bytes(msg[:2], 'big')] += 1

    def fail(r: int, why: str) -> None:
        state['bad'].append(f'round {r} ({modes[r % 3]}): {why}')

    def run_round(r: int) -> None:
        if r == 1:
            state['base'] = Snapshot.take()
        if r == rounds or len(state['bad']) > 5:
            state['end'] = Snapshot.take()
            rx.close()
            return
        mode = modes[r % 3]
        port = rx.address().port
        tx = dgram.create_socket({'type': 'udp4', 'sendBufferSize': 4096})
        calls = [0] * BURST
        order: list[int] = []
        codes: list[str | None] = [None] * BURST
        after: dict[str, Any] = {}
        closed = [0]

        def on_sent(i: int) -> Any:
            def cb(err: Any, *_: Any) -> None:
                calls[i] += 1
                order.append(i)
                codes[i] = getattr(err, 'code', 'error') if err is not None else None
                if len(order) == BURST:
                    after['last'] = (tx.get_send_queue_count(), tx.get_send_queue_size()) \
                        if mode != 'close' else (0, 0)
            return cb

        def burst() -> None:
            for i in range(BURST):
                data = r.to_bytes(2, 'big') + i.to_bytes(2, 'big') + bytes(BURST_SIZE - 4)
                if mode == 'address':
                    tx.send(data, port, HOST, on_sent(i))
                else:
                    tx.send(data, on_sent(i))
            after['sync'] = (tx.get_send_queue_count(), tx.get_send_queue_size())
            if mode == 'close':
                tx.close(lambda: closed.__setitem__(0, closed[0] + 1))
            dgram.next_tick(lambda: after.__setitem__(
                'tick', (tx.get_send_queue_count(), tx.get_send_queue_size())
                if mode != 'close' else after['sync']))
            state['round_end'] = time.monotonic() + 15
            watch()

        def watch() -> None:
            ok = sum(1 for c in codes if c is None) if len(order) == BURST else -1
            done = len(order) >= BURST and received[r] >= ok and (mode != 'close' or closed[0])
            if not done and time.monotonic() < state['round_end']:
                dgram.set_timeout(watch, 5)
                return
            check(ok)

        def check(ok: int) -> None:
            if sorted(set(calls)) != [1]:
                fail(r, f'callbacks per send {sorted(set(calls))}, not exactly once')
            if order != sorted(order):
                fail(r, 'callbacks out of order')
            count, size = after['tick']
            if mode == 'close':
                cancelled = [c for c in codes if c is not None]
                if set(cancelled) - {'ECANCELED'}:
                    fail(r, f'errors {sorted(set(cancelled))}')
                if closed[0] != 1:
                    fail(r, f'close callback called {closed[0]} times')
                state['cancelled'] += len(cancelled)
            else:
                if any(c is not None for c in codes):
                    fail(r, f'errors {sorted({c for c in codes if c})}')
                state['queued'].append(count)
                if count <= 0:
                    fail(r, 'no send met EAGAIN (nothing queued)')
                if size != count * BURST_SIZE:
                    fail(r, f'queue size {size} for {count} sends of {BURST_SIZE}')
                if after.get('last') != (0, 0):
                    fail(r, f'queue (count, size) {after.get("last")} at the last callback')
            if received[r] != ok:
                fail(r, f'{ok} sends reported ok, {received[r]} arrived')
            state['ok'] += ok
            if mode != 'close':
                tx.close()
            dgram.set_timeout(run_round, PAUSE_MS, r + 1)

        if mode == 'address':
            tx.bind(0, HOST, burst)
        else:
            tx.connect(port, HOST, burst)

    rx.on('message', on_message)
    rx.bind(0, HOST, lambda: dgram.set_timeout(run_round, PAUSE_MS, 0))
    dgram.run()
    fd_after = Snapshot.take().fds
    py_connected = [q for i, q in enumerate(state['queued']) if i % 2 == 0]
    try:
        node_rounds = node(_NODE_BURST, str(len(py_connected)), str(BURST), str(BURST_SIZE),
                           str(PAUSE_MS))
        node_connected = [row[0] for row in node_rounds]
        node_ok = all(row[1] == row[0] * BURST_SIZE and row[2:] == [0, 0, 0]
                      for row in node_rounds)
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as err:
        node_connected, node_ok = [], False
        result.failures.append(f'node oracle: {err}')
    result.figures.update(rounds=rounds, sends=rounds * BURST, ok=state['ok'],
                          cancelled=state['cancelled'],
                          queued=_queue_figure(py_connected),
                          node_queued=_queue_figure(node_connected))
    result.failures.extend(state['bad'])
    result.check(node_ok, 'node oracle: queue figures inconsistent')
    # A send delayed by a busy machine may move one round by a datagram: the
    # usual (modal) count is compared.
    result.check(_mode(py_connected) == _mode(node_connected),
                 f'queue count after a connected burst {py_connected} vs Node {node_connected}')
    if state['base'] is not None and state['end'] is not None:
        check_drift(result, state['base'], state['end'], fds=False)
    result.figures['fd_drift'] = fd_after - fd_before
    result.check(fd_after == fd_before, f'{fd_after - fd_before} file descriptors leaked')
    return result


PROBES = {'eagain': eagain}

if __name__ == '__main__':
    main(PROBES)
