"""``scripts/soak --quick``: every soak probe, with small counts, passes.

The probes (docs/reliability.md) check correctness, not speed: no datagram
lost on loopback at a paced rate, every callback called exactly once, errors
as Node reports them, memory and descriptors back where they were.  Each runs
in a process of its own; the run is bounded (each probe has a time limit).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBES = ('echo', 'flood', 'eagain', 'churn', 'emfile', 'exceptions', 'timers',
          'worker_kill', 'primary_kill')


def test_soak_quick() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'soak_run.py'), '--quick'],
                          cwd=ROOT, capture_output=True, text=True, timeout=110, check=False)
    report = f'--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}'
    assert proc.returncode == 0, report
    # One line of figures per probe, each passed.
    passed = {line.split()[0] for line in proc.stdout.splitlines()
              if len(line.split()) > 1 and line.split()[1] == 'ok'}
    assert passed == set(PROBES), report
