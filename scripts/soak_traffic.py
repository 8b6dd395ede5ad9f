"""Soak probes that move datagrams: ``echo``, ``flood``, ``eagain``.

``python scripts/soak_traffic.py PROBE [--quick]``; see scripts/soak_run.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

from soak_common import (
    Deadline,
    Result,
    Snapshot,
    check_drift,
    main,
    node,
)

import dgram_uv as dgram

HOST = '127.0.0.1'


# --- echo ---------------------------------------------------------------------------

ECHO_SIZE = 64
ECHO_WINDOW = 32   # datagrams in flight: 2 KB, far below any socket buffer, so none may drop


def _payload(seq: int) -> bytes:
    return seq.to_bytes(4, 'big') + bytes([seq & 0xFF]) * (ECHO_SIZE - 4)


def echo(quick: bool) -> Result:
    """N datagrams client -> echo server -> client on 127.0.0.1, at most
    ECHO_WINDOW in flight.  Each must come back once and intact, each send
    callback must be called once without error; RSS and Python blocks are
    compared between 10 % and 100 % of the run (sockets open both times), fds
    between before the sockets and after their close."""
    count = 100_000 if quick else 1_000_000
    result = Result('echo')
    deadline = Deadline(40 if quick else 400)
    fd_before = Snapshot.take().fds
    got = bytearray(count)       # echoes seen per sequence number
    called = bytearray(count)    # send callbacks per sequence number
    state: dict[str, Any] = {'next': 0, 'inflight': 0, 'received': 0, 'corrupt': 0,
                             'send_errors': 0, 'progress': 0, 'idle_ticks': 0,
                             'given_up': 0, 'warm': None, 'end': None}
    server = dgram.create_socket('udp4')
    client = dgram.create_socket('udp4')

    def on_request(msg: bytes, rinfo: Any) -> None:
        server.send(msg, rinfo.port, rinfo.address)

    def on_sent(seq: int) -> Any:
        def cb(err: Any, *_: Any) -> None:
            called[seq] = min(called[seq] + 1, 255)
            if err is not None:
                state['send_errors'] += 1
        return cb

    def fill() -> None:
        while state['inflight'] < ECHO_WINDOW and state['next'] < count:
            seq = state['next']
            state['next'] += 1
            state['inflight'] += 1
            client.send(_payload(seq), on_sent(seq))

    def finish() -> None:
        if state['end'] is None:
            state['end'] = Snapshot.take()
        dgram.clear_interval(watchdog)
        client.close()
        server.close()

    def on_echo(msg: bytes, rinfo: Any) -> None:
        seq = int.from_bytes(msg[:4], 'big')
        if seq >= count or msg != _payload(seq):
            state['corrupt'] += 1
            return
        got[seq] = min(got[seq] + 1, 255)
        if got[seq] == 1:
            state['received'] += 1
            state['progress'] += 1
            if state['inflight']:
                state['inflight'] -= 1
        if state['received'] == count // 10:
            state['warm'] = Snapshot.take()
        if state['received'] == count:
            finish()
            return
        if deadline.expired():
            finish()
            return
        fill()

    def tick() -> None:
        # Two ticks without progress, with a poll phase between them: what is in
        # flight is gone (counted as lost at the end); refill the window.
        if state['progress']:
            state['progress'] = 0
            state['idle_ticks'] = 0
            return
        state['idle_ticks'] += 1
        if state['idle_ticks'] >= 2:
            state['given_up'] += state['inflight']
            state['inflight'] = 0
            if state['next'] >= count or deadline.expired():
                finish()
            else:
                fill()

    watchdog = dgram.set_interval(tick, 1000)
    server.on('message', on_request)
    client.on('message', on_echo)

    def on_server_listening() -> None:
        client.bind(0, HOST, lambda: client.connect(server.address().port, HOST, fill))
    server.bind(0, HOST, on_server_listening)
    started = time.monotonic()
    dgram.run()
    elapsed = time.monotonic() - started
    fd_after = Snapshot.take().fds
    lost = count - state['received']
    dups = sum(1 for n in got if n > 1)
    wrong_cb = sum(1 for seq in range(state['next']) if called[seq] != 1)
    result.figures.update(sent=state['next'], received=state['received'], lost=lost,
                          dup=dups, corrupt=state['corrupt'],
                          rate=f'{state["received"] / elapsed:.0f}/s')
    result.check(state['next'] == count,
                 f'only {state["next"]} of {count} sent before the deadline')
    result.check(lost == 0, f'{lost} datagrams lost')
    result.check(dups == 0 and state['corrupt'] == 0,
                 f'{dups} duplicated, {state["corrupt"]} corrupt datagrams')
    result.check(wrong_cb == 0 and state['send_errors'] == 0,
                 f'{wrong_cb} send callbacks not called exactly once, '
                 f'{state["send_errors"]} with an error')
    if state['warm'] is not None and state['end'] is not None:
        check_drift(result, state['warm'], state['end'], fds=False)
    result.figures['fd_drift'] = fd_after - fd_before
    result.check(fd_after == fd_before, f'{fd_after - fd_before} file descriptors leaked')
    return result


# --- flood at a slow receiver -------------------------------------------------------

FLOOD_WORK = 0.0001       # seconds of CPU the receiver's listener burns per datagram
FLOOD_TICK = 0.020        # the probe timer's interval
# Starvation, measured without the clock: datagrams handled while the timer
# was overdue.  libuv reads at most 32 datagrams per wake-up of a socket, then
# the loop goes round and runs due timers; 64 leaves room for a batch under way.
OVERDUE_MAX = 64
# And by the clock, loosely: only a stall of the whole process (or a starved
# loop) makes a 20 ms timer 2 s late; a loaded machine makes it ~0.5 s at worst.
LATENESS_MAX = 2.0

_FLOODER = """
import socket, sys, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(('127.0.0.1', port))
data = bytes(512)
sent = 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    for _ in range(256):
        try:
            s.send(data)
            sent += 1
        except OSError:
            pass
print(sent, flush=True)
"""


def _socket_drops(port: int) -> int:
    """The kernel's drop count of the UDP socket bound to 127.0.0.1:``port``
    (``/proc/net/udp``, last column): datagrams its full receive buffer refused."""
    local = f'0100007F:{port:04X}'
    with open('/proc/net/udp', encoding='ascii') as table:
        for line in table:
            fields = line.split()
            if len(fields) > 2 and fields[1] == local:
                return int(fields[-1])
    raise LookupError(f'no UDP socket on {local} in /proc/net/udp')


def _backlog_drops() -> int:
    """Datagrams the kernel dropped system-wide because a CPU's input backlog
    was full (``/proc/net/softnet_stat``, 2nd column, summed over CPUs)."""
    with open('/proc/net/softnet_stat', encoding='ascii') as table:
        return sum(int(line.split()[1], 16) for line in table if line.strip())


def flood(quick: bool) -> Result:
    """Another process floods a receiver whose listener burns FLOOD_WORK per
    datagram, so the kernel drops most of them.  Nothing may pile up in the
    process (RSS and blocks flat between 1 s in and the flood's end), the
    receiver's timer keeps firing (lateness bounded), and every datagram the
    kernel queued for the socket reaches the listener: sent = received +
    dropped by the socket's full buffer (or, on a busy machine, by a CPU's
    full input backlog before it reached the socket)."""
    seconds = 4.0 if quick else 30.0
    result = Result('flood')
    fd_before = Snapshot.take().fds
    state: dict[str, Any] = {'received': 0, 'last': time.monotonic(), 'expected': 0.0,
                             'ticks': 0, 'late_max': 0.0, 'overdue': 0, 'overdue_max': 0,
                             'base': None, 'end': None, 'sent': None,
                             'drops': 0, 'backlog': 0, 'flooder': None}
    hist = [0] * 2001
    receiver = dgram.create_socket('udp4')

    def on_message(msg: bytes, rinfo: Any) -> None:
        state['received'] += 1
        state['last'] = now = time.monotonic()
        if state['expected'] and now > state['expected']:
            state['overdue'] += 1
        spin = time.perf_counter() + FLOOD_WORK
        while time.perf_counter() < spin:
            pass

    def tick() -> None:
        now = time.monotonic()
        if state['expected']:
            # A histogram in whole ms, allocated up front: the probe's own
            # bookkeeping must not grow the memory it measures.
            late = now - state['expected']
            hist[min(int(late * 1000), len(hist) - 1)] += 1
            state['ticks'] += 1
            state['late_max'] = max(state['late_max'], late)
            state['overdue_max'] = max(state['overdue_max'], state['overdue'])
        state['overdue'] = 0
        state['expected'] = now + FLOOD_TICK
        proc = state['flooder']
        if state['base'] is None and now - state['started'] >= 1.0:
            state['base'] = Snapshot.take()
            state['expected'] = time.monotonic() + FLOOD_TICK
        if proc is not None and state['sent'] is None and proc.poll() is not None:
            # The flood is over: memory now, then drain what the kernel holds.
            state['end'] = Snapshot.take()
            state['expected'] = time.monotonic() + FLOOD_TICK
            out, _ = proc.communicate()   # reads and closes the pipe
            state['sent'] = int(out.strip() or 0)
        if state['sent'] is not None and now - state['last'] > 0.5:
            state['drops'] = _socket_drops(receiver.address().port)
            state['backlog'] = _backlog_drops() - state['backlog']
            dgram.clear_interval(timer)
            receiver.close()

    def on_listening() -> None:
        port = receiver.address().port
        state['started'] = time.monotonic()
        state['backlog'] = _backlog_drops()
        state['flooder'] = subprocess.Popen(
            [sys.executable, '-c', _FLOODER, str(port), str(seconds)],
            stdout=subprocess.PIPE, text=True)

    timer = dgram.set_interval(tick, FLOOD_TICK * 1000)
    receiver.on('message', on_message)
    receiver.bind(0, HOST, on_listening)
    dgram.run()
    fd_after = Snapshot.take().fds
    ticks, late_max = state['ticks'], state['late_max']
    median = seen = 0
    for ms, n in enumerate(hist):
        seen += n
        if seen * 2 >= ticks:
            median = ms
            break
    sent, received, drops = state['sent'] or 0, state['received'], state['drops']
    missing = sent - received - drops
    result.figures.update(
        sent=sent, received=received, kernel_drops=drops, backlog_drops=state['backlog'],
        unaccounted=missing,
        ticks=ticks, late_p50=f'{median}ms', late_max=f'{late_max * 1000:.0f}ms',
        overdue_max=state['overdue_max'])
    result.check(sent > 0 and received > 0, 'no flood took place')
    # Backlog drops are system-wide (other traffic counts too): an upper bound.
    result.check(0 <= missing <= state['backlog'],
                 f'{missing} datagrams neither delivered nor dropped by the kernel')
    result.check(state['overdue_max'] <= OVERDUE_MAX,
                 f'{state["overdue_max"]} datagrams handled while the timer was overdue '
                 f'(max {OVERDUE_MAX})')
    result.check(late_max <= LATENESS_MAX,
                 f'timer up to {late_max:.2f}s late (max {LATENESS_MAX}s)')
    result.check(ticks >= seconds / FLOOD_TICK / 4,
                 f'the timer fired only {ticks} times in {seconds}s')
    if state['base'] is not None and state['end'] is not None:
        check_drift(result, state['base'], state['end'], fds=False)
    else:
        result.failures.append('no memory readings (flood too short?)')
    result.figures['fd_drift'] = fd_after - fd_before
    result.check(fd_after == fd_before, f'{fd_after - fd_before} file descriptors leaked')
    return result


# --- EAGAIN bursts with tiny send buffers ---------------------------------------------

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


PROBES = {'echo': echo, 'flood': flood, 'eagain': eagain}

if __name__ == '__main__':
    main(PROBES)
