"""scripts/soak: a bounded soak and fault run of dgram_uv, on loopback only.

Each probe runs in a fresh process of its own (its own session, so whatever
it starts is killed with it if it overruns) and prints one line of figures;
the run exits 1 if any probe found a loss, a leak, a wrong error, a hang or
a crash.  ``--quick`` runs the same probes with smaller counts (< 60 s);
``--only echo,churn`` picks probes; ``--list`` names them.  What each probe
does and why its thresholds are what they are: docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
RESULT_TAG = 'RESULT '

# probe -> the module (scripts/soak_<module>.py) that runs it, in run order.
PROBES = {
    'echo': 'traffic',
    'flood': 'traffic',
    'eagain': 'eagain',
    'churn': 'sockets',
    'emfile': 'sockets',
    'exceptions': 'loop',
    'timers': 'loop',
    'worker_kill': 'cluster',
    'primary_kill': 'cluster',
}
LIMIT_QUICK = 45.0    # seconds one probe may take with --quick
LIMIT_FULL = 600.0


def run_probe(name: str, quick: bool) -> tuple[bool, str, list[str]]:
    """Run one probe; (passed, its figures line, failure lines)."""
    cmd = [sys.executable, str(SCRIPTS / f'soak_{PROBES[name]}.py'), name]
    if quick:
        cmd.append('--quick')
    limit = LIMIT_QUICK if quick else LIMIT_FULL
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    failures: list[str] = []
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        failures.append(f'did not finish within {limit:g}s (killed)')
    # Anything of the probe's still running (a worker, a flooder) is a leak too.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
        failures.append('processes of the probe were still running after it ended (killed)')
    except ProcessLookupError:
        pass
    lines = [line for line in out.splitlines() if line.startswith(RESULT_TAG)]
    if not lines:
        failures.append(f'no result (exit status {proc.returncode})')
        tail = (err.strip() or out.strip()).splitlines()[-15:]
        failures.extend('  ' + line for line in tail)
        return False, '', failures
    result = json.loads(lines[-1][len(RESULT_TAG):])
    failures = result['failures'] + failures
    if proc.returncode != 0 and not failures:
        failures.append(f'exit status {proc.returncode}: {err.strip()[-300:]}')
    figures = ' '.join(f'{key}={value}' for key, value in result['figures'].items())
    return not failures, figures, failures


def main() -> int:
    parser = argparse.ArgumentParser(prog='scripts/soak', description=__doc__.split('\n\n')[0])
    parser.add_argument('--quick', action='store_true', help='smaller counts, same probes')
    parser.add_argument('--only', help='comma-separated probes to run (default: all)')
    parser.add_argument('--list', action='store_true', help='name the probes and exit')
    args = parser.parse_args()
    if args.list:
        print('\n'.join(PROBES))
        return 0
    names = list(PROBES)
    if args.only:
        names = [name.strip() for name in args.only.split(',') if name.strip()]
        unknown = [name for name in names if name not in PROBES]
        if unknown:
            parser.error(f'unknown probe(s) {", ".join(unknown)}; probes: {", ".join(PROBES)}')
    mode = 'quick' if args.quick else 'full'
    print(f'soak ({mode}): {len(names)} probes, loopback only', flush=True)
    started = time.monotonic()
    failed = []
    width = max(map(len, names))
    for name in names:
        passed, figures, failures = run_probe(name, args.quick)
        print(f'{name:<{width}}  {"ok  " if passed else "FAIL"}  {figures}', flush=True)
        for failure in failures:
            print(f'{"":<{width}}  !     {failure}', flush=True)
        if not passed:
            failed.append(name)
    elapsed = time.monotonic() - started
    verdict = f'FAILED: {", ".join(failed)}' if failed else 'all passed'
    print(f'soak ({mode}): {len(names) - len(failed)}/{len(names)} passed in {elapsed:.1f}s; '
          f'{verdict}', flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
