"""Every test must leave the process's uv loop as it found it.

After each test: no next tick queued, no timer or immediate pending, and no
referenced active uv handle.  Whatever a test left behind is cleaned up (so the
next test starts clean) and the test fails, saying what it left.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import pyuv

from dgram_uv._binding import loop as uv_loop
from dgram_uv._binding import timers as uv_timers

if TYPE_CHECKING:
    from socket_harness import Harness

NODE = Path(__file__).resolve().parent.parent / '.cache' / 'node' / 'bin' / 'node'


def run_node(script: str, *flags: str, argv: tuple[str, ...] = ()) -> Any:
    """Run ``script`` under the Node v23.5.0 oracle (``flags`` before it, ``argv``
    after it: ``process.argv[1:]``); what it printed, parsed as JSON."""
    assert NODE.exists(), f'the Node oracle is missing: run scripts/setup ({NODE})'
    proc = subprocess.run([str(NODE), *flags, '-e', script, *argv], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, f'node failed ({proc.returncode}): {proc.stderr}'
    return json.loads(proc.stdout)


@pytest.fixture
def node() -> Callable[..., Any]:
    """``node(script, *flags, argv=())``: run JS under the oracle, return its JSON output."""
    return run_node


@pytest.fixture
def h() -> Harness:
    """The socket tests' ``Harness``: the sockets a test makes, and a bounded ``run()``."""
    # Imported here, not above: importing socket_harness requires ::1, which
    # only the socket tests need.
    from socket_harness import Harness
    return Harness()


# loop.py's own handles (the shared timer, the check and idle handles of the
# immediates, ...): they live as long as the process and are never closed here.
_LOOP_OWN = tuple(h for mod in (uv_loop, uv_timers) for h in vars(mod).values()
                  if isinstance(h, pyuv.Handle))


def _pending_timers() -> list[uv_timers.Timeout]:
    return [timer for lst in uv_timers._timer_lists.values() for timer in lst.timers]


def loop_leftovers() -> list[str]:
    """Describe what is left on the loop; clean it up."""
    left: list[str] = []
    if uv_loop._tick_queue:
        left.append(f'{len(uv_loop._tick_queue)} queued next tick(s)')
        uv_loop._tick_queue.clear()
    if uv_loop._deferred:
        left.append(f'{len(uv_loop._deferred)} deferred callback(s)')
        uv_loop._deferred.clear()
    if uv_loop._uncaught:
        left.append(f'an uncaught exception run() did not re-raise: {uv_loop._uncaught[0]!r}')
    # Timers and immediates: referenced ones are leaks; unreferenced ones are
    # cleared silently, so that they cannot fire in a later test's run().
    timers = _pending_timers()
    if any(timer.has_ref() for timer in timers):
        left.append(f'{sum(t.has_ref() for t in timers)} referenced pending timer(s)')
    for timer in timers:
        uv_timers.clear_timeout(timer)
    immediates = [i for i in uv_timers._immediates + uv_timers._outstanding if not i._destroyed]
    if any(i.has_ref() for i in immediates):
        left.append(f'{sum(i.has_ref() for i in immediates)} referenced pending immediate(s)')
    for immediate in immediates:
        uv_timers.clear_immediate(immediate)
    uv = uv_loop.get_loop()
    handles = [h for h in uv.handles
               if not any(h is own for own in _LOOP_OWN)
               and not h.closed and h.active and h.ref]
    if handles:
        left.append('referenced active handle(s): '
                    + ', '.join(type(h).__name__ for h in handles))
        for handle in handles:
            handle.close()
    for _ in range(4):          # let the closes (and cleared timers) settle
        uv.run(pyuv.UV_RUN_NOWAIT)
    uv_loop._uncaught.clear()
    uv_loop._tick_queue.clear()
    uv_timers._timers_interrupted = False
    return left


@pytest.fixture
def leftovers() -> Callable[[], list[str]]:
    """The check ``clean_loop`` makes after each test, for a test to make itself."""
    return loop_leftovers


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    item.stash[_CALL_FAILED] = item.stash.get(_CALL_FAILED, False) or report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def clean_loop(request: pytest.FixtureRequest) -> Iterator[None]:
    """Runs last at teardown (autouse), after the test's other fixtures closed theirs."""
    yield
    left = loop_leftovers()
    if left and not request.node.stash.get(_CALL_FAILED, False):
        pytest.fail('the test left the uv loop dirty: ' + '; '.join(left), pytrace=False)
