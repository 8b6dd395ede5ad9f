"""The processes of scripts/bench: one measured run of one contender.

Every benchmark program prints one JSON object per line; the last line of the
measured process is its result.  ``run_job`` starts the programs one run needs
(the measured process plus a blaster, a sink or an echo server), pins them to
CPUs, bounds them in time, and returns the result dict (with ``'error'`` if the
run failed).  What each program measures is in its own docstring.
"""

from __future__ import annotations

import json
import os
import resource
import select
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / '.venv' / 'bin' / 'python')
NODE = str(ROOT / '.cache' / 'node' / 'bin' / 'node')
SCRIPTS = ROOT / 'scripts'
NCPU = os.cpu_count() or 1
LAST_CPU = {NCPU - 1}
OTHER_CPUS = set(range(NCPU - 1)) or LAST_CPU


def py(script: str, *args: object) -> list[str]:
    return [PYTHON, str(SCRIPTS / script), *map(str, args)]


def js(script: str, *args: object, flags: tuple[str, ...] = ()) -> list[str]:
    return [NODE, *flags, str(SCRIPTS / script), *map(str, args)]


def start(cmd: list[str], cpus: set[int] | None) -> subprocess.Popen[bytes]:
    """Start a program with its CPU affinity set before exec (so every thread
    it starts, Node's included, inherits it) and enough file descriptors."""
    def preexec() -> None:
        if cpus:
            try:
                os.sched_setaffinity(0, cpus)
            except OSError:
                pass
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY or soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))

    env = dict(os.environ, PYTHONDONTWRITEBYTECODE='1')
    # Unbuffered: select() on the pipe must see every line not yet read.
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, bufsize=0, env=env, cwd=ROOT,
                            preexec_fn=preexec)


def read_line(proc: subprocess.Popen[bytes], timeout: float) -> str | None:
    """One non-empty line of the child's stdout, or None after ``timeout`` s or at EOF."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([proc.stdout], [], [], left)
        if not ready:
            return None
        line = proc.stdout.readline()   # unbuffered: reads up to the newline only
        if not line:
            return None
        if line.strip():
            return line.decode(errors='replace').strip()


def read_json(proc: subprocess.Popen[bytes], timeout: float, what: str) -> dict[str, Any]:
    line = read_line(proc, timeout)
    if line is None:
        return {'error': f'{what} reported nothing in time'}
    try:
        out: dict[str, Any] = json.loads(line)
    except ValueError:
        return {'error': f'{what} printed {line[:80]!r}'}
    return out


def read_port(proc: subprocess.Popen[bytes], what: str) -> int | None:
    line = read_line(proc, 30.0)
    return int(line) if line and line.isdigit() else None


def finish(*procs: subprocess.Popen[bytes], grace: float = 5.0, close: bool = True) -> None:
    """Wait for each process (killing it after ``grace`` s); close its stdout."""
    for proc in procs:
        if proc.poll() is None:
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if close and proc.stdout:
            proc.stdout.close()


def pins(opts: Any, measured: set[int], helper: set[int]) -> tuple[set[int] | None, ...]:
    return (measured, helper) if opts.pin and NCPU > 1 else (None, None)


# --- receive: a receiver flooded by a blaster ---------------------------------------

def receive_job(contender: str, p: dict[str, Any], opts: Any) -> dict[str, Any]:
    count, limit = p['count'], opts.max_seconds
    cmd = (js('bench_receiver.js', count, limit) if contender == 'node'
           else py('bench_receiver.py', contender, count, limit))
    mine, theirs = pins(opts, LAST_CPU, OTHER_CPUS)
    receiver = start(cmd, mine)
    senders: list[subprocess.Popen[bytes]] = []
    try:
        port = read_port(receiver, 'receiver')
        if port is None:
            return {'error': 'receiver printed no port'}
        for _ in range(opts.senders):
            senders.append(start(py('bench_sender.py', port, count * 100, limit + 5, 64,
                                    1 if opts.gso else 0), theirs))
        report = read_json(receiver, limit + 15.0, 'receiver')
        sent = 0
        for sender in senders:      # each stops on ECONNREFUSED once the receiver closed
            finish(sender, grace=10.0, close=False)
            line = read_line(sender, 0.1)
            sent += int(line) if line and line.isdigit() else 0
        if sent and 'received' in report:
            report['sent'] = sent
            report['loss'] = max(0.0, 1 - report['received'] / sent)
        return report
    finally:
        finish(*senders, receiver)


# --- send: a measured sender and a draining sink --------------------------------------

def send_job(contender: str, p: dict[str, Any], opts: Any) -> dict[str, Any]:
    size, count, burst, limit = p['size'], p['count'], p['burst'], opts.max_seconds
    mine, theirs = pins(opts, LAST_CPU, OTHER_CPUS)
    sink = start(py('bench_sink.py', limit + 10), theirs)
    sender: subprocess.Popen[bytes] | None = None
    try:
        port = read_port(sink, 'sink')
        if port is None:
            return {'error': 'sink printed no port'}
        cmd = (js('bench_send.js', contender, port, size, count, burst)
               if contender.startswith('node')
               else py('bench_send.py', contender, port, size, count, burst))
        sender = start(cmd, mine)
        report = read_json(sender, limit, 'sender')
        finish(sender, close=False)
        # The end marker (a zero-length datagram) until the sink has drained and quit.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as ctl:
            for _ in range(100):
                ctl.sendto(b'', ('127.0.0.1', port))
                if select.select([sink.stdout], [], [], 0.05)[0]:
                    break
        sunk = read_json(sink, 5.0, 'sink')
        if 'received' in sunk and report.get('total_sent'):
            report['received'] = sunk['received']
            report['loss'] = max(0.0, 1 - sunk['received'] / report['total_sent'])
        return report
    finally:
        finish(*(x for x in (sender, sink) if x is not None))


# --- echo: a client and a server of the same implementation --------------------------

def echo_job(contender: str, p: dict[str, Any], opts: Any) -> dict[str, Any]:
    warmup, count, limit = p['warmup'], p['count'], opts.max_seconds
    if contender == 'node':
        server_cmd = js('bench_echo.js', 'server', warmup, count, limit)
    else:
        server_cmd = py('bench_echo.py', contender, 'server', warmup, count, limit)
    # Default: both on one CPU (the software's cost, no cross-CPU wake-ups).
    split = opts.echo_split and NCPU > 1
    mine, theirs = pins(opts, LAST_CPU, OTHER_CPUS if split else LAST_CPU)
    server = start(server_cmd, theirs)
    client: subprocess.Popen[bytes] | None = None
    try:
        port = read_port(server, 'echo server')
        if port is None:
            return {'error': 'echo server printed no port'}
        if contender == 'node':
            client_cmd = js('bench_echo.js', 'client', port, warmup, count, limit)
        else:
            client_cmd = py('bench_echo.py', contender, 'client', port, warmup, count, limit)
        client = start(client_cmd, mine)
        report = read_json(client, limit, 'echo client')
        if 'error' in report:
            return report
        srv = read_json(server, 5.0, 'echo server')
        if 'cpu_us_per_rt' not in srv:
            return {'error': f'echo server: {srv.get("error", srv)}'}
        report['client_cpu_us_per_rt'] = report['cpu_us_per_rt']
        report['server_cpu_us_per_rt'] = srv['cpu_us_per_rt']
        report['cpu_us_per_rt'] += srv['cpu_us_per_rt']
        return report
    finally:
        finish(*(x for x in (client, server) if x is not None))


# --- one process: churn, memory, loop primitives -------------------------------------

def single_job(cmd: list[str], opts: Any) -> dict[str, Any]:
    mine, _ = pins(opts, LAST_CPU, OTHER_CPUS)
    proc = start(cmd, mine)
    try:
        return read_json(proc, opts.max_seconds, ' '.join(Path(x).name for x in cmd[1:3]))
    finally:
        finish(proc)


def sockets_job(contender: str, p: dict[str, Any], opts: Any) -> dict[str, Any]:
    what = p['what']
    args: tuple[object, ...] = (what, p['count'], p['batch']) if what == 'churn' else (
        what, p['count'])
    if contender == 'node':
        flags = ('--expose-gc',) if what == 'memory' else ()
        return single_job(js('bench_sockets.js', *args, flags=flags), opts)
    return single_job(py('bench_sockets.py', contender, *args), opts)


def loop_job(contender: str, p: dict[str, Any], opts: Any) -> dict[str, Any]:
    """One process per primitive and pattern (see bench_loop.py), merged."""
    out: dict[str, Any] = {'impl': contender}
    for prim in ('next_tick', 'set_immediate', 'set_timeout'):
        for pattern in ('queued', 'chained'):
            n = p[pattern] if (prim, pattern) != ('set_timeout', 'chained') else p[
                'timeout_chained']
            cmd = (js('bench_loop.js', prim, pattern, n) if contender == 'node'
                   else py('bench_loop.py', prim, pattern, n))
            res = single_job(cmd, opts)
            if 'error' in res:
                return res
            out.update(res)
    return out


JOBS = {'receive': receive_job, 'send': send_job, 'echo': echo_job,
        'sockets': sockets_job, 'loop': loop_job}


def run_job(kind: str, contender: str, params: dict[str, Any], opts: Any) -> dict[str, Any]:
    try:
        return JOBS[kind](contender, params, opts)
    except OSError as exc:
        return {'error': f'{type(exc).__name__}: {exc}'}


def probe(code: str) -> bool:
    """Whether the project's Python can run ``code`` (an import, say)."""
    return subprocess.run([PYTHON, '-c', code], cwd=ROOT, capture_output=True).returncode == 0
