"""scripts/bench: dgram_uv's benchmark suite, against the Node oracle and raw pyuv.

Measurements (``--only`` names; default: all):

* ``receive``: a receiver's CPU per 64-byte datagram, flooded (bench_receiver.*);
* ``aio``: the same receiver inside ``dgram_uv.aio.run`` (stdlib asyncio and
  uvloop) next to ``dgram.run()`` and asyncio's own datagram endpoint;
* ``send`` (= ``send64``, ``send1400``): a sender's CPU per datagram to a draining
  sink, with and without callback (bench_send.*);
* ``echo``: ping-pong round trips, median and p99 time, CPU of both sides (bench_echo.*);
* ``churn``, ``memory``: create + bind(0) + close per socket; RSS per bound socket
  (bench_sockets.*);
* ``loop``: next_tick, set_immediate, set_timeout(0), queued and chained (bench_loop.*).

Every figure is the CPU time (user + system) of the process under test, read
inside it around the measured part (start-up and warm-up excluded).  Within a
measurement the contenders take turns (ABC, CBA, ...) for ``--rounds`` rounds;
the table gives medians and, per pair, the median over rounds of the
within-round ratio, with the project's goals marked.  Results go to
.cache/bench/latest.json (``--json PATH``); ``--chart PNG`` draws them
(bench_chart.py); ``--from-json PATH`` re-prints a saved run.  Method and
results: docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import bench_jobs as jobs
import bench_report as report

ROOT = jobs.ROOT
DEFAULT_JSON = ROOT / '.cache' / 'bench' / 'latest.json'
RECEIVE = ('dgram_uv', 'node', 'pyuv')
AIO = ('dgram_uv', 'aio_asyncio', 'aio_uvloop', 'asyncio', 'asyncio_uvloop')
SELECTABLE = ('receive', 'aio', 'send', 'send64', 'send1400', 'echo', 'churn', 'memory',
              'loop')

# Full run / --quick: counts per measurement.
COUNTS = {
    'receive': (200_000, 20_000),
    'send': (100_000, 20_000),
    'echo': (20_000, 5_000),
    'churn': (20_000, 5_000),
    'memory': (5_000, 2_000),
    'queued': (100_000, 100_000),
    'chained': (100_000, 100_000),
    'timeout_chained': (1_000, 200),
}


def plan(opts: argparse.Namespace) -> list[tuple[str, str, list[str], dict[str, Any]]]:
    """(group, job kind, contenders in round-1 order, parameters) to run."""
    only = set(opts.only or SELECTABLE)

    def n(key: str) -> int:
        return max(2, int(COUNTS[key][1 if opts.quick else 0] * opts.scale))

    out: list[tuple[str, str, list[str], dict[str, Any]]] = []
    receive: list[str] = []
    if 'receive' in only:
        receive += [*RECEIVE, *(('udp_wrap',) if opts.layers else ())]
    if 'aio' in only:
        receive += [c for c in AIO if c not in receive]
    if opts.receive_count:
        receive_count = opts.receive_count
    else:
        receive_count = n('receive')
    if receive:
        out.append(('receive', 'receive', receive, {'count': receive_count}))
    for size in (64, 1400):
        if {'send', f'send{size}'} & only:
            out.append((f'send{size}', 'send',
                        ['dgram_uv_cb', 'node_cb', 'pyuv_try', 'floor_cb', 'dgram_uv', 'node',
                         'pyuv_send_cb', 'floor'],
                        {'size': size, 'count': n('send'), 'burst': opts.burst}))
    if 'echo' in only:
        count = n('echo')
        out.append(('echo', 'echo', ['dgram_uv', 'node', 'pyuv'],
                    {'warmup': max(count // 10, 100), 'count': count}))
    if 'churn' in only:
        out.append(('churn', 'sockets', ['dgram_uv', 'node', 'pyuv', 'floor'],
                    {'what': 'churn', 'count': n('churn'), 'batch': 100}))
    if 'memory' in only:
        out.append(('memory', 'sockets', ['dgram_uv', 'node', 'pyuv'],
                    {'what': 'memory', 'count': n('memory')}))
    if 'loop' in only:
        out.append(('loop', 'loop', ['dgram_uv', 'node'],
                    {'queued': n('queued'), 'chained': n('chained'),
                     'timeout_chained': n('timeout_chained')}))
    return out


def unavailable(contenders: list[str]) -> dict[str, str]:
    """Contenders that cannot run here, with the reason printed in their row."""
    why: dict[str, str] = {}
    if any(c.startswith('aio_') for c in contenders) and not jobs.probe('import dgram_uv.aio'):
        why['aio_asyncio'] = why['aio_uvloop'] = 'dgram_uv.aio missing'
    if any(c.endswith('uvloop') for c in contenders) and not jobs.probe('import uvloop'):
        for c in ('aio_uvloop', 'asyncio_uvloop'):
            why.setdefault(c, 'uvloop not installed (pip install -e .[bench])')
    if 'udp_wrap' in contenders and not (jobs.probe('import dgram_uv._binding.udp_wrap')
                                         or jobs.probe('import dgram_uv.udp_wrap')):
        why['udp_wrap'] = 'no dgram_uv udp_wrap module'
    return why


class LoadMeter:
    """How busy the machine was with other work while a measurement ran:
    CPU time of all processes (/proc/stat) minus ours and our children's, and
    the hypervisor's steal time, as shares of all CPUs."""

    HZ = os.sysconf('SC_CLK_TCK')

    def __init__(self) -> None:
        self.t0 = self.sample()

    @staticmethod
    def sample() -> tuple[float, float, float, float]:
        with open('/proc/stat') as f:
            v = [int(x) for x in f.readline().split()[1:]]
        busy = v[0] + v[1] + v[2] + v[5] + v[6]          # user nice system irq softirq
        steal = v[7] if len(v) > 7 else 0
        own = sum(resource.getrusage(w).ru_utime + resource.getrusage(w).ru_stime
                  for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        return time.monotonic(), busy / LoadMeter.HZ, steal / LoadMeter.HZ, own

    def read(self) -> dict[str, float]:
        t1 = self.sample()
        wall = max(t1[0] - self.t0[0], 1e-9) * jobs.NCPU
        return {'foreign_cpu': max(0.0, (t1[1] - self.t0[1]) - (t1[3] - self.t0[3])) / wall,
                'steal': (t1[2] - self.t0[2]) / wall,
                'loadavg_1m': os.getloadavg()[0], 'seconds': round(t1[0] - self.t0[0], 1)}


def meta(opts: argparse.Namespace) -> dict[str, Any]:
    def out(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ''
    cpu = ''
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    return {
        'date': datetime.datetime.now().astimezone().isoformat(timespec='seconds'),
        'cpus': jobs.NCPU, 'cpu_model': cpu, 'kernel': platform.release(),
        'python': out([jobs.PYTHON, '-c', 'import sys; print(sys.version.split()[0])']),
        'pyuv': out([jobs.PYTHON, '-c', 'import pyuv; print(pyuv.__version__, '
                     '"libuv", pyuv.LIBUV_VERSION)']),
        'node': out([jobs.NODE, '--version']),
        'commit': out(['git', 'describe', '--always', '--dirty']),
        'loadavg_start': os.getloadavg(),
        'options': {k: v for k, v in vars(opts).items() if k not in ('chart', 'from_json')},
    }


def measure(opts: argparse.Namespace) -> tuple[dict[str, Any], bool]:
    data: dict[str, Any] = {'meta': meta(opts), 'groups': {}, 'skipped': {}, 'load': {}}
    failed = False
    for group, kind, contenders, params in plan(opts):
        skipped = unavailable(contenders)
        for name, why in skipped.items():
            if name in contenders:
                print(f'  {group}: {name}: n/a: {why}', flush=True)
        data['skipped'].update({k: v for k, v in skipped.items() if k in contenders})
        run = [c for c in contenders if c not in skipped]
        results: dict[str, list[Any]] = {c: [] for c in run}
        print(f'{group}: {", ".join(run)}; {opts.rounds} rounds; {params}', flush=True)
        load = LoadMeter()
        for rnd in range(opts.rounds):
            for c in run if rnd % 2 == 0 else reversed(run):
                res = jobs.run_job(kind, c, params, opts)
                if opts.raw:
                    print(f'  {group} {c} #{rnd + 1}: {json.dumps(res)}', flush=True)
                if 'error' in res:
                    failed = True
                    print(f'  {group} {c} round {rnd + 1} failed: {res["error"]}',
                          file=sys.stderr, flush=True)
                results[c].append(res)
                time.sleep(0.1)
        data['groups'][group] = results
        data['load'][group] = lo = load.read()
        print(f'  done in {lo["seconds"]} s; other load {lo["foreign_cpu"]:.0%} of the '
              f'machine, steal {lo["steal"]:.0%}, loadavg {lo["loadavg_1m"]:.2f}', flush=True)
    data['meta']['loadavg_end'] = os.getloadavg()
    return data, failed


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog='scripts/bench', description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--only', action='append', metavar='NAMES',
                   help=f'comma-separated measurements: {",".join(SELECTABLE)} (repeatable)')
    p.add_argument('--rounds', '--runs', type=int, default=None,
                   help='rounds, contenders alternating (default 5; --quick 3)')
    p.add_argument('--quick', action='store_true', help='smaller counts, 3 rounds: about a minute')
    p.add_argument('--scale', type=float, default=1.0, help='multiply every count by this')
    p.add_argument('--count', dest='receive_count', type=int, default=None,
                   help='datagrams per receive run (default 200000; --quick 20000)')
    p.add_argument('--burst', type=int, default=100, help='sends per loop iteration (100)')
    p.add_argument('--senders', type=int, default=1, help='blaster processes for receive (1)')
    p.add_argument('--pin', action=argparse.BooleanOptionalAction, default=True,
                   help='pin the measured process to the last CPU, helpers to the others')
    p.add_argument('--gso', action=argparse.BooleanOptionalAction, default=True,
                   help='receive: the blaster batches datagrams with UDP_SEGMENT (default on)')
    p.add_argument('--echo-split', action='store_true',
                   help='echo: client and server on different CPUs (default: the same one)')
    p.add_argument('--layers', action='store_true',
                   help="receive: add a 'udp_wrap' row (dgram_uv minus dgram.py and events)")
    p.add_argument('--max-seconds', type=float, default=60.0, help='bound of one run (60)')
    p.add_argument('--json', dest='json_path', type=Path, default=DEFAULT_JSON,
                   help=f'write the results here (default {DEFAULT_JSON.relative_to(ROOT)})')
    p.add_argument('--raw', action='store_true', help="print every run's JSON as it comes")
    p.add_argument('--chart', type=Path, default=None, help='draw the ratios into this PNG')
    p.add_argument('--from-json', type=Path, default=None,
                   help='measure nothing: print (and --chart) a saved run')
    opts = p.parse_args(argv)
    opts.only = [x for arg in opts.only or () for x in arg.split(',') if x] or None
    bad = set(opts.only or ()) - set(SELECTABLE)
    if bad:
        p.error(f'unknown measurement(s) {", ".join(sorted(bad))}; choose from {SELECTABLE}')
    if opts.rounds is None:
        opts.rounds = 3 if opts.quick else 5
    if opts.rounds < 1 or opts.senders < 1 or opts.burst < 1 or opts.scale <= 0:
        p.error('--rounds, --senders, --burst must be >= 1, --scale > 0')

    failed = False
    if opts.from_json:
        data = json.loads(opts.from_json.read_text())
    else:
        print(f'scripts/bench: {jobs.NCPU} CPUs, loadavg {os.getloadavg()[0]:.2f}; '
              f'measured process on CPU {jobs.NCPU - 1 if opts.pin else "any"}', flush=True)
        data, failed = measure(opts)
    data['rows'] = report.compute(data['groups'], data.get('skipped', {}))
    if not opts.from_json:
        opts.json_path.parent.mkdir(parents=True, exist_ok=True)
        opts.json_path.write_text(json.dumps(data, indent=1, default=str) + '\n')
    print()
    print('\n'.join(report.details(data['groups'])))
    print()
    print(report.render(data))
    if not opts.from_json:
        print(f'\nresults: {opts.json_path}')
    if opts.chart:
        import bench_chart
        bench_chart.draw(data, opts.chart)
        print(f'chart: {opts.chart}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
