"""What every soak probe shares: resource readings, the result line, the Node oracle.

A probe is a function ``probe(quick: bool) -> Result`` in one of the
``scripts/soak_*.py`` modules; ``scripts/soak_run.py`` runs each in a fresh
process (``python scripts/soak_<module>.py <probe> [--quick]``), so every probe
starts from a clean interpreter, a clean uv loop and its own fd table, and an
rlimit or network namespace it sets up dies with it.  The probe's process
prints its result as one JSON line (``RESULT {...}``) on stdout, last.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / '.cache' / 'node' / 'bin' / 'node'
RESULT_TAG = 'RESULT '
PAGE = os.sysconf('SC_PAGE_SIZE')


@dataclass
class Result:
    """One probe's figures (printed in insertion order) and its failures (empty: ok)."""

    probe: str
    figures: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def check(self, ok: bool, failure: str) -> None:
        """Record ``failure`` unless ``ok``."""
        if not ok:
            self.failures.append(failure)

    def to_json(self) -> str:
        return json.dumps({'probe': self.probe, 'figures': self.figures,
                           'failures': self.failures})


# --- resource readings -------------------------------------------------------------

def rss_bytes() -> int:
    """Resident set size now (``/proc/self/statm``, field 2, in pages)."""
    with open('/proc/self/statm', encoding='ascii') as statm:
        return int(statm.read().split()[1]) * PAGE


def fd_count() -> int:
    """Open file descriptors now (minus the one ``listdir`` itself holds)."""
    return len(os.listdir('/proc/self/fd')) - 1


def blocks() -> int:
    """Python memory blocks allocated now, after a full collection.

    Unlike RSS this has no allocator noise: a Python object leaked per
    datagram shows as one block per datagram.
    """
    gc.collect()
    return sys.getallocatedblocks()


@dataclass
class Snapshot:
    """RSS, fds and blocks at one moment; ``drift(later)`` gives the differences."""

    rss: int
    fds: int
    blocks: int

    @classmethod
    def take(cls) -> Snapshot:
        return cls(rss_bytes(), fd_count(), blocks())

    def drift(self, later: Snapshot) -> tuple[int, int, int]:
        return later.rss - self.rss, later.fds - self.fds, later.blocks - self.blocks


def mb(nbytes: int) -> str:
    """A signed size in MB for a figure line."""
    return f'{nbytes / 1e6:+.1f}MB'


# Thresholds shared by the probes (docs/reliability.md explains each):
# RSS may move by allocator noise (arenas, fragmentation, lazily touched pages)
# of a few MB; a leak of one small object per datagram over the full run's
# counts is tens of MB.  Python blocks have no such noise: caches and free
# lists account for a few hundred; one leaked object per operation is at least
# one block per operation, i.e. thousands even in --quick.
RSS_DRIFT_MAX = 8_000_000
BLOCKS_DRIFT_MAX = 2_000


def check_drift(result: Result, before: Snapshot, after: Snapshot, *, fds: bool = True) -> None:
    """Put the drifts into ``result.figures`` and fail on a leak."""
    rss, fd, blk = before.drift(after)
    result.figures['rss_drift'] = mb(rss)
    if fds:
        result.figures['fd_drift'] = fd
    result.figures['blocks_drift'] = blk
    result.check(rss <= RSS_DRIFT_MAX, f'RSS grew by {mb(rss)} (max {mb(RSS_DRIFT_MAX)})')
    if fds:
        result.check(fd == 0, f'{fd} file descriptors leaked')
    result.check(blk <= BLOCKS_DRIFT_MAX, f'{blk} Python blocks leaked (max {BLOCKS_DRIFT_MAX})')


def set_nofile(soft: int) -> None:
    """Lower this process's RLIMIT_NOFILE soft limit (the hard one stays)."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def node(script: str, *args: str, timeout: float = 60.0,
         preexec: Callable[[], None] | None = None) -> Any:
    """Run JS ``script`` on the Node v23.5.0 oracle; its last stdout line, parsed as JSON."""
    if not NODE.exists():
        raise RuntimeError(f'the Node oracle is missing: run scripts/setup ({NODE})')
    proc = subprocess.run([str(NODE), '-e', script, *args], capture_output=True, text=True,
                          timeout=timeout, check=False, preexec_fn=preexec)
    if proc.returncode != 0:
        raise RuntimeError(f'node exited {proc.returncode}: {proc.stderr.strip()[-500:]}')
    return json.loads(proc.stdout.strip().splitlines()[-1])


class Deadline:
    """A wall-clock bound: ``expired()`` after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() >= self.end


def main(probes: Mapping[str, Callable[[bool], Result]]) -> None:
    """The entry of a probe module: ``python soak_x.py PROBE [--quick]``."""
    args = sys.argv[1:]
    quick = '--quick' in args
    names = [a for a in args if not a.startswith('--')]
    if len(names) != 1 or names[0] not in probes:
        sys.exit(f'usage: {Path(sys.argv[0]).name} {{{",".join(probes)}}} [--quick]')
    started = time.monotonic()
    result = probes[names[0]](quick)
    result.figures['time'] = f'{time.monotonic() - started:.1f}s'
    sys.stdout.flush()
    print(RESULT_TAG + result.to_json(), flush=True)
