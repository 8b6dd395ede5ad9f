"""Soak probes of cluster faults: ``worker_kill`` and ``primary_kill``.

``python scripts/soak_cluster.py PROBE [--quick]``; see scripts/soak_run.py.

Workers re-run this file (``sys.orig_argv``) with ``NODE_UNIQUE_ID`` set: in a
worker, ``worker()`` runs instead of a probe.  Every worker binds
127.0.0.1:0 through the primary, so all of them share one socket (Node's
SharedHandle), and echoes each datagram with its worker id appended.
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from soak_common import Result, Snapshot, main

import dgram_uv as dgram
from dgram_uv import cluster

HOST = '127.0.0.1'
WORKERS = 3
PHASE = 200          # datagrams echoed per phase (one at a time: none may drop)
EXIT_WAIT = 15.0     # seconds a worker has to exit after its primary was killed
SILENCE_MS = 10_000  # an echo this late is lost (loopback, one datagram at a time)


def worker() -> None:
    """A worker: echo on the shared socket until the primary disconnects."""
    assert cluster.worker is not None
    if os.environ.get('SOAK_WARMUP'):
        cluster.worker.disconnect()
        dgram.run()
        return
    tag = b'|%d' % cluster.worker.id
    sock = dgram.create_socket('udp4')
    sock.on('message', lambda msg, rinfo: sock.send(msg + tag, rinfo.port, rinfo.address))
    sock.bind(0, HOST)
    dgram.run()


def _children() -> set[int]:
    """Live (not zombie) processes whose parent is this process."""
    me = str(os.getpid())
    found = set()
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat', encoding='ascii', errors='replace') as stat:
                fields = stat.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and fields[0] != 'Z':
            found.add(int(entry))
    return found


# --- kill -9 of a worker ------------------------------------------------------------------

def worker_kill(quick: bool) -> Result:
    """WORKERS workers share one socket; PHASE datagrams are echoed; then, per
    cycle: kill -9 one worker, wait for its 'exit' (SIGKILL), echo PHASE more
    through the survivors, fork a replacement, which must get the same port,
    echo PHASE more.  The primary must survive (run() never raises), no
    echo may be missing, and after cluster.disconnect() every worker exits
    and the primary's fds are back where they were."""
    cycles = 1 if quick else 20
    result = Result('worker_kill')
    # libuv opens a descriptor at the first spawn and keeps it: one worker
    # started and gone before the baseline keeps that out of the drift.
    cluster.fork({'SOAK_WARMUP': '1'})
    dgram.run()
    fd_before = Snapshot.take().fds
    client = dgram.create_socket('udp4')
    st: dict[str, Any] = {'port': None, 'phase': 0, 'seq': 0, 'echoed': 0, 'lost': 0,
                          'responders': set(), 'killed': 0, 'forked': 0, 'exits': [],
                          'ports': set(), 'bad': [], 'listening': 0, 'cycle': 0,
                          'wait_exit': None, 'timer': None}
    phases = ['initial'] + ['after-kill', 'after-refork'] * cycles

    def send_next() -> None:
        st['timer'] = dgram.set_timeout(on_silence, SILENCE_MS)
        client.send(b'%d' % st['seq'], st['port'], HOST)

    def on_silence() -> None:
        st['lost'] += 1
        next_datagram()

    def next_datagram() -> None:
        st['seq'] += 1
        if st['seq'] % PHASE:
            send_next()
        else:
            phase_done()

    def on_echo(msg: bytes, rinfo: Any) -> None:
        seq, _, wid = msg.partition(b'|')
        if int(seq) != st['seq']:
            return   # a late echo of a datagram counted lost
        dgram.clear_timeout(st['timer'])
        st['echoed'] += 1
        st['responders'].add(int(wid))
        next_datagram()

    def phase_done() -> None:
        st['phase'] += 1
        if st['phase'] == len(phases):
            client.close()
            cluster.disconnect()
            return
        if phases[st['phase']] == 'after-kill':
            victim = next(iter(cluster.workers.values()))
            st['wait_exit'] = victim.id
            os.kill(victim.process.pid, signal.SIGKILL)
            st['killed'] += 1
        else:
            fork()

    def fork() -> None:
        w = cluster.fork()
        st['forked'] += 1
        w.on('exit', lambda code, sig: on_exit(w, code, sig))

    def on_exit(w: Any, code: Any, sig: Any) -> None:
        st['exits'].append((w.id, code, sig))
        if w.id == st['wait_exit']:
            st['wait_exit'] = None
            if sig != 'SIGKILL':
                st['bad'].append(f'killed worker {w.id} exited with ({code}, {sig})')
            send_next()

    def on_listening(w: Any, address: Any) -> None:
        st['ports'].add(address['port'])
        st['listening'] += 1
        if st['port'] is None and st['listening'] == WORKERS:
            st['port'] = address['port']
            send_next()
        elif st['port'] is not None:
            send_next()   # the replacement is listening

    client.on('message', on_echo)
    cluster.on('listening', on_listening)
    def fork_all() -> None:
        for _ in range(WORKERS):
            fork()
    client.bind(0, HOST, fork_all)
    raised: list[str] = []
    for _ in range(3):
        try:
            dgram.run()
            break
        except Exception as err:
            raised.append(repr(err))
    leftover = _children()
    fd_after = Snapshot.take().fds
    sent = st['seq']
    result.figures.update(workers=st['forked'], killed=st['killed'], sent=sent,
                          echoed=st['echoed'], lost=st['lost'],
                          responders=len(st['responders']), ports=len(st['ports']),
                          exits=len(st['exits']), fd_drift=fd_after - fd_before)
    result.failures.extend(st['bad'])
    result.check(not raised, f'the primary\'s run() raised {raised}')
    result.check(sent == PHASE * len(phases), f'{sent} of {PHASE * len(phases)} sent')
    result.check(st['lost'] == 0, f'{st["lost"]} datagrams not echoed')
    result.check(len(st['ports']) == 1, f'workers listened on ports {sorted(st["ports"])}')
    result.check(len(st['exits']) == st['forked'],
                 f'{len(st["exits"])} of {st["forked"]} workers exited')
    result.check(not leftover, f'worker processes left: {sorted(leftover)}')
    result.check(fd_after == fd_before, f'{fd_after - fd_before} file descriptors leaked')
    return result


# --- kill -9 of the primary -------------------------------------------------------------

def primary_role() -> None:
    """The primary that ``primary_kill`` kills: WORKERS workers, then it prints
    their pids and the shared port, and waits."""
    pids: list[int] = []

    def on_listening(w: Any, address: Any) -> None:
        pids.append(w.process.pid)
        if len(pids) == WORKERS:
            print(json.dumps({'pids': pids, 'port': address['port']}), flush=True)
    cluster.on('listening', on_listening)
    for _ in range(WORKERS):
        cluster.fork()
    dgram.run()


def _echo_ok(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.settimeout(5)
        probe.sendto(b'1', (HOST, port))
        try:
            return probe.recv(64).startswith(b'1|')
        except TimeoutError:
            return False


def _reap(pids: set[int], seconds: float) -> dict[int, int]:
    """Wait for ``pids`` (our children as subreaper); pid -> wait status."""
    statuses: dict[int, int] = {}
    end = time.monotonic() + seconds
    while pids - statuses.keys() and time.monotonic() < end:
        for pid in pids - statuses.keys():
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                continue   # not (yet) reparented to us
            if done:
                statuses[pid] = status
        time.sleep(0.02)
    return statuses


def primary_kill(quick: bool) -> Result:
    """Per cycle: a primary process with WORKERS workers sharing a port (an
    echo through it works); kill -9 of the primary.  This process is the
    subreaper, so the orphaned workers become its children: each must exit
    with status 0 (the channel's end is a disconnect) within EXIT_WAIT, and
    the port must then be free (no orphan holds the socket)."""
    cycles = 1 if quick else 20
    result = Result('primary_kill')
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(36, 1, 0, 0, 0)   # PR_SET_CHILD_SUBREAPER
    exited = clean = freed = echoed = 0
    slowest = 0.0
    for cycle in range(cycles):
        primary = subprocess.Popen([sys.executable, __file__, '_primary'], stdout=subprocess.PIPE,
                                   text=True)
        assert primary.stdout is not None
        ready, _, _ = select.select([primary.stdout], [], [], 30)
        line = primary.stdout.readline() if ready else ''
        if not line:
            primary.kill()
            primary.wait()
            result.failures.append(f'cycle {cycle}: the primary never reported its workers')
            break
        info = json.loads(line)
        pids, port = set(info['pids']), info['port']
        echoed += _echo_ok(port)
        killed_at = time.monotonic()
        os.kill(primary.pid, signal.SIGKILL)
        primary.wait()
        primary.stdout.close()
        statuses = _reap(pids, EXIT_WAIT)
        slowest = max(slowest, time.monotonic() - killed_at)
        exited += len(statuses)
        codes = [os.waitstatus_to_exitcode(s) for s in statuses.values()]
        clean += codes.count(0)
        if len(statuses) < len(pids):
            for pid in pids - statuses.keys():
                os.kill(pid, signal.SIGKILL)
            _reap(pids - statuses.keys(), 5)
            result.failures.append(f'cycle {cycle}: workers {sorted(pids - statuses.keys())} '
                                   f'still running {EXIT_WAIT:g}s after the primary died')
        if codes.count(0) != len(codes):
            result.failures.append(f'cycle {cycle}: worker exit codes {codes}')
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as again:
            try:
                again.bind((HOST, port))
                freed += 1
            except OSError as err:
                result.failures.append(f'cycle {cycle}: port {port} still bound: {err}')
    total = cycles * WORKERS
    result.figures.update(cycles=cycles, workers=total, echo_before_kill=f'{echoed}/{cycles}',
                          exited=f'{exited}/{total}', exit_0=f'{clean}/{total}',
                          port_freed=f'{freed}/{cycles}', slowest_exit=f'{slowest:.2f}s')
    result.check(echoed == cycles, 'the shared port did not echo before the kill')
    return result


PROBES = {'worker_kill': worker_kill, 'primary_kill': primary_kill}

if __name__ == '__main__':
    if cluster.is_worker:
        worker()
    elif sys.argv[1:2] == ['_primary']:
        primary_role()
    else:
        main(PROBES)
