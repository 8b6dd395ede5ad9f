"""Soak probes that move datagrams: ``echo`` and ``flood`` (``eagain``: soak_eagain.py).

``python scripts/soak_traffic.py PROBE [--quick]``; see scripts/soak_run.py.
"""

from __future__ import annotations

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


PROBES = {'echo': echo, 'flood': flood}

if __name__ == '__main__':
    main(PROBES)
