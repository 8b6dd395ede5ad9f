"""scripts/bench: receive cost per datagram, dgram_uv against the Node oracle.

One measurement, the one later benchmarks grow from: a receiver's process CPU
time (user + system) per datagram, from its first datagram on, while sender
processes outside the measured process blast 64-byte datagrams at it on
127.0.0.1.  Three receivers, run alternately (ABC, CBA, ABC, ...):

* ``dgram_uv``: ``dgram.create_socket('udp4')`` + a ``'message'`` listener;
* ``node``: the same program on the Node v23.5.0 oracle's dgram;
* ``pyuv``: a bare ``pyuv.UDP`` + ``start_recv`` (reference: the floor);
* with ``--layers`` also ``udp_wrap``: dgram_uv's UDPWrap with the counter as
  its ``onmessage`` (no dgram.py, no EventEmitter), to see where time goes.

Each prints the median of its runs; then ``ratio dgram_uv/node``.  Loss is
fine (UDP): the cost is per datagram received.  By default one sender (with
UDP GSO, see bench_sender.py) is pinned to CPU 0 and the receiver to the last
CPU, so the receiver has a core of its own and always finds datagrams
waiting.  See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / '.venv' / 'bin' / 'python')
NODE = str(ROOT / '.cache' / 'node' / 'bin' / 'node')
SCRIPTS = ROOT / 'scripts'
IMPLS = ('dgram_uv', 'node', 'pyuv')
LAYERS = ('udp_wrap',)   # --layers: dgram_uv with layers peeled off


def receiver_cmd(impl: str, count: int, max_seconds: float) -> list[str]:
    if impl == 'node':
        return [NODE, str(SCRIPTS / 'bench_receiver.js'), str(count), str(max_seconds)]
    return [PYTHON, str(SCRIPTS / 'bench_receiver.py'), impl, str(count), str(max_seconds)]


def read_line(proc: subprocess.Popen[str], timeout: float) -> str | None:
    """One line of the child's stdout, or None after ``timeout`` seconds or at EOF."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        return None
    line = proc.stdout.readline()
    return line.strip() or None


def stop(proc: subprocess.Popen[Any], grace: float) -> None:
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def pinned(cpus: set[int] | None) -> Any:
    """A preexec_fn setting the child's CPU affinity before it execs (so every
    thread it starts, Node's included, inherits it), or None."""
    if not cpus:
        return None

    def preexec() -> None:
        try:
            os.sched_setaffinity(0, cpus)
        except OSError:
            pass
    return preexec


def one_run(impl: str, args: argparse.Namespace) -> dict[str, Any]:
    """Start the receiver, then the senders; return the receiver's JSON report."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE='1')
    ncpu = os.cpu_count() or 1
    recv_cpus = {ncpu - 1} if args.pin and ncpu > 1 else None
    send_cpus = set(range(ncpu - 1)) if args.pin and ncpu > 1 else None
    receiver = subprocess.Popen(receiver_cmd(impl, args.count, args.max_seconds),
                                stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT,
                                preexec_fn=pinned(recv_cpus))
    senders: list[subprocess.Popen[str]] = []
    try:
        port = read_line(receiver, 30.0)
        if port is None or not port.isdigit():
            return {'impl': impl, 'error': f'receiver printed no port ({port!r})'}
        for _ in range(args.senders):
            sender = subprocess.Popen(
                [PYTHON, str(SCRIPTS / 'bench_sender.py'), port,
                 str(args.count * 100), str(args.max_seconds + 5), '64',
                 '1' if args.gso else '0'],
                stdout=subprocess.PIPE, text=True, env=env, preexec_fn=pinned(send_cpus))
            senders.append(sender)
        result = read_line(receiver, args.max_seconds + 15.0)
        if result is None:
            return {'impl': impl, 'error': 'receiver reported nothing in time'}
        report: dict[str, Any] = json.loads(result)
        sent = 0
        for sender in senders:
            stop(sender, 10.0)
            out = sender.stdout.read().strip() if sender.stdout else ''
            sent += int(out) if out.isdigit() else 0
        report['sent'] = sent
        return report
    finally:
        for proc in (*senders, receiver):
            if proc.poll() is None:
                stop(proc, 5.0)
            if proc.stdout:
                proc.stdout.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog='scripts/bench',
        description='Receiver CPU time per datagram (64-byte datagrams on 127.0.0.1): '
                    'dgram_uv vs the Node v23.5.0 oracle, raw pyuv for reference.')
    parser.add_argument('--count', type=int, default=None,
                        help='datagrams measured per run (default 200000)')
    parser.add_argument('--runs', type=int, default=None,
                        help='runs per implementation, alternating (default 3)')
    parser.add_argument('--quick', action='store_true',
                        help='smoke run: --count 20000 --runs 1 unless given')
    parser.add_argument('--senders', type=int, default=1,
                        help='sender processes (default 1)')
    parser.add_argument('--pin', action=argparse.BooleanOptionalAction, default=True,
                        help='pin the receiver to the last CPU and the senders to the '
                             'others (default: on, when there are 2+ CPUs)')
    parser.add_argument('--gso', action=argparse.BooleanOptionalAction, default=True,
                        help='senders batch datagrams with UDP_SEGMENT (default: on; '
                             'without it one sender cannot keep the receiver busy)')
    parser.add_argument('--max-seconds', type=float, default=60.0,
                        help='wall-time bound of one receiver (default 60)')
    parser.add_argument('--layers', action='store_true',
                        help="add a 'udp_wrap' row: dgram_uv without dgram.py and events.py")
    parser.add_argument('--only', choices=IMPLS + LAYERS, action='append',
                        help='measure only this implementation (repeatable)')
    parser.add_argument('--json', action='store_true',
                        help='also print every run as a JSON line')
    args = parser.parse_args(argv)
    if args.count is None:
        args.count = 20_000 if args.quick else 200_000
    if args.runs is None:
        args.runs = 1 if args.quick else 3
    if args.count < 2 or args.runs < 1 or args.senders < 1:
        parser.error('--count must be >= 2, --runs and --senders >= 1')
    impls = tuple(args.only) if args.only else IMPLS + (LAYERS if args.layers else ())

    print(f'receiver CPU per datagram: {args.count} x 64-byte datagrams on 127.0.0.1, '
          f'{args.senders} sender(s){" with GSO" if args.gso else ""}, '
          f'{"pinned, " if args.pin else ""}{args.runs} run(s) each, alternating; '
          f'{os.cpu_count()} CPUs', flush=True)
    results: dict[str, list[dict[str, Any]]] = {impl: [] for impl in impls}
    failed = False
    for round_no in range(args.runs):
        order = impls if round_no % 2 == 0 else tuple(reversed(impls))
        for impl in order:
            report = one_run(impl, args)
            if args.json:
                print(json.dumps(report), flush=True)
            if 'us_per_dgram' not in report:
                failed = True
                print(f'  {impl}: run {round_no + 1} failed: {report.get("error", report)}',
                      file=sys.stderr, flush=True)
                continue
            results[impl].append(report)
            time.sleep(0.2)

    header = (f'{"implementation":<15}{"runs":>5}{"median µs/dgram":>17}{"min":>7}{"max":>7}'
              f'{"user":>7}{"sys":>7}{"datagrams":>11}{"loss":>7}')
    print(header)
    medians: dict[str, float] = {}
    user_medians: dict[str, float] = {}
    for impl in impls:
        runs = results[impl]
        if not runs:
            print(f'{impl:<15}{0:>5}{"-":>17}')
            continue
        per = [r['us_per_dgram'] for r in runs]
        med = medians[impl] = statistics.median(per)
        user = user_medians[impl] = statistics.median(r['user_us_per_dgram'] for r in runs)
        sys_ = statistics.median(r['sys_us_per_dgram'] for r in runs)
        dgrams = int(statistics.median(r['measured'] for r in runs))
        sent = sum(r.get('sent', 0) for r in runs)
        recv = sum(r['received'] for r in runs)
        loss = f'{100 * (1 - recv / sent):.0f}%' if sent >= recv and sent else '-'
        print(f'{impl:<15}{len(runs):>5}{med:>17.3f}{min(per):>7.3f}{max(per):>7.3f}'
              f'{user:>7.3f}{sys_:>7.3f}{dgrams:>11}{loss:>7}')
    if 'dgram_uv' in medians and 'node' in medians:
        print(f'ratio dgram_uv/node = {medians["dgram_uv"] / medians["node"]:.2f}')
        if user_medians['node'] > 0:
            print(f'(user time alone: {user_medians["dgram_uv"] / user_medians["node"]:.2f}; '
                  f'goal: ratio <= 1.00)')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
