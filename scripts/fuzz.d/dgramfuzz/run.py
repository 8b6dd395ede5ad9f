"""Running a batch of cases under both runners, each in a network namespace of its own.

Each runner reads the batch as JSON and answers one line per case.  A runner
that dies or stalls on a case is restarted after it; that case's records say
``crash``.  A runner that refuses a case for safety stops the whole run.
"""

from __future__ import annotations

import atexit
import ipaddress
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .generate import Case
from .safety import SAFE_DESTINATIONS
from .values import strings_in

HERE = Path(__file__).resolve().parent.parent          # scripts/fuzz.d
ROOT = HERE.parent.parent
NODE = ROOT / '.cache' / 'node' / 'bin' / 'node'
PYTHON = ROOT / '.venv' / 'bin' / 'python'
RUNNERS = {'node': [str(NODE), str(HERE / 'runner.js')],
           'python': [str(PYTHON), str(HERE / 'runner_py.py')]}

Records = list[dict[str, Any]]


class SafetyStop(RuntimeError):
    """A runner refused a case that could have sent beyond loopback."""


def isolation_prefix() -> list[str] | None:
    """The command that puts a runner in a fresh network namespace, or None."""
    if shutil.which('unshare') is None or shutil.which('ip') is None:
        return None
    # The namespace's own /etc/hosts names localhost for both families, so a
    # udp6 lookup of 'localhost' is answered from the file, never by a DNS
    # server timing out (the machine's file may lack '::1 localhost').
    folder = tempfile.mkdtemp(prefix='dgramfuzz-')
    atexit.register(shutil.rmtree, folder, True)
    hosts = Path(folder) / 'hosts'
    hosts.write_text('127.0.0.1 localhost\n::1 localhost\n')
    inner = ['sh', '-c', f'ip link set lo up && mount --bind {hosts} /etc/hosts && exec "$@"',
             'isolated']
    for prefix in (['unshare', '--net', '--mount', '--'],
                   ['unshare', '--net', '--mount', '--map-root-user', '--']):
        probe = subprocess.run(prefix + inner + ['true'], capture_output=True, check=False)
        if probe.returncode == 0:
            return prefix + inner
    return None


def ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path('/proc/sys/net/ipv4/ip_local_port_range').read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


_NUMERIC = re.compile(r'(0[xX][0-9a-fA-F]+|[0-9]+)')


def _no_dns(text: str) -> bool:
    # A string getaddrinfo answers without asking a name server.
    if text in SAFE_DESTINATIONS or _NUMERIC.fullmatch(text):
        return True
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def mark_for_host(cases: list[Case]) -> list[Case]:
    """Outside a namespace: steps whose strings would make a DNS query are skipped."""
    out = []
    for case in cases:
        steps = []
        for st in case['steps']:
            names = [x for v in st.get('args', []) for x in strings_in(v)]
            if st['op'] == 'call' and st.get('method') in ('bind', 'send', 'connect') \
                    and not all(_no_dns(x) for x in names):
                st = {**st, 'skip': 'would query DNS outside a namespace'}
            steps.append(st)
        out.append({**case, 'steps': steps})
    return out


class Runner:
    """One side (``'node'`` or ``'python'``) run over a list of cases."""

    def __init__(self, side: str, settle_ms: int, isolation: list[str] | None) -> None:
        self.side = side
        self.settle_ms = settle_ms
        self.isolation = isolation

    def run(self, cases: list[Case]) -> dict[int, Records]:
        results: dict[int, Records] = {}
        remaining = list(cases)
        while remaining:
            crash = self._run_once(remaining, results)
            done = [c for c in remaining if c['id'] not in results]
            if crash is None and not done:
                break
            if not done:
                break
            culprit = done[0]
            results[culprit['id']] = [{'k': 'crash', 'why': crash or 'exited early', 'step': -1}]
            remaining = done[1:]
        return results

    def _run_once(self, cases: list[Case], results: dict[int, Records]) -> str | None:
        payload = json.dumps({'cases': cases, 'settle_ms': self.settle_ms,
                              'ephemeral': list(ephemeral_range()),
                              'isolated': self.isolation is not None})
        settles = max(sum(st['op'] == 'settle' for st in c['steps']) for c in cases)
        stall = (settles + 1) * self.settle_ms / 1000 + 15
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE='1', PYTHONUNBUFFERED='1')
        env.pop('NODE_OPTIONS', None)
        argv = (self.isolation or []) + RUNNERS[self.side]
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, cwd=str(HERE))
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        stderr: list[bytes] = []
        err_pipe = proc.stderr
        threading.Thread(target=_feed, args=(proc.stdin, payload.encode()), daemon=True).start()
        threading.Thread(target=lambda: stderr.append(err_pipe.read()), daemon=True).start()
        lines: list[bytes] = []
        last = [time.monotonic()]

        def read() -> None:
            for line in proc.stdout:   # type: ignore[union-attr]
                lines.append(line)
                last[0] = time.monotonic()
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        why: str | None = None
        while reader.is_alive():
            reader.join(0.2)
            if time.monotonic() - last[0] > stall:
                why = f'no answer within {stall:.0f} s'
                proc.kill()
                break
        reader.join(5)
        code = proc.wait()
        time.sleep(0.05)
        for line in lines:
            record = json.loads(line)
            results[record['id']] = record['records']
        tail = b''.join(stderr).decode(errors='replace')[-2000:]
        if code == 3 and 'SAFETY' in tail:
            raise SafetyStop(f'{self.side} runner: {tail.strip()}')
        if why is None and code != 0:
            why = f'exit status {code}: {tail.strip()[-600:]}'
        return why


def _feed(pipe: Any, data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except BrokenPipeError:
        pass


def run_both(cases: list[Case], settle_ms: int, isolation: list[str] | None
             ) -> tuple[dict[int, Records], dict[int, Records]]:
    """Both sides over ``cases``, side by side."""
    if isolation is None:
        cases = mark_for_host(cases)
    with ThreadPoolExecutor(2) as pool:
        node = pool.submit(Runner('node', settle_ms, isolation).run, cases)
        python = pool.submit(Runner('python', settle_ms, isolation).run, cases)
        return node.result(), python.result()
