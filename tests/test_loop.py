"""The loop (_binding.loop, _binding.timers, timers) against Node v23.5.0: next
ticks, timers, immediates, ref/unref, make_callback and uncaught exceptions, on
the real libuv loop.

Each ordering scenario is written twice, in JS and in Python; the JS runs under
the Node oracle and both print the sequence of events, which must be equal.
Scenarios never depend on how fast the machine is: where timers must be due
together the code busy-waits (a lower bound on elapsed time), and delays that
must not interleave are far apart.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import pyuv

from dgram_uv import errors, timers
from dgram_uv._binding import loop as uv_loop

Log = Callable[[str], None]

JS_PRELUDE = '''
const out = [];
const log = (s) => { out.push(String(s)); };
const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
process.on('exit', () => { process.stdout.write(JSON.stringify(out)); });
'''


def busy(ms: float) -> None:
    """Block the loop for at least ``ms`` milliseconds."""
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


def js_bool(value: bool) -> str:
    return 'true' if value else 'false'


def run_until_done(log: Log) -> None:
    """``run()`` again after each uncaught exception, logging it: what a Node
    process with an 'uncaughtException' listener that logs does."""
    for _ in range(20):
        try:
            uv_loop.run()
        except Exception as exc:
            log(f'caught {exc}')
        else:
            return
    raise AssertionError('run() kept raising')


# --- the scenarios: (JS, Python twin) ---------------------------------------------

def py_ticks(log: Log) -> None:
    log('main1')

    def t1() -> None:
        log('t1')
        timers.next_tick(lambda: log('t1.t'))
    timers.next_tick(t1)
    timers.next_tick(lambda a, b: log(f't2 {a} {b}'), 'x', 'y')
    log('main2')
    uv_loop.run()


JS_TICKS = '''
log('main1');
process.nextTick(() => { log('t1'); process.nextTick(() => log('t1.t')); });
process.nextTick((a, b) => log(`t2 ${a} ${b}`), 'x', 'y');
log('main2');
'''


def py_immediates(log: Log) -> None:
    def i1() -> None:
        log('i1')
        timers.next_tick(lambda: log('i1.tick'))
        timers.set_immediate(lambda: log('i1.i'))
    timers.set_immediate(i1)
    timers.set_immediate(lambda a: log(f'i2 {a}'), 'arg')

    def tick() -> None:
        log('tick')
        timers.set_immediate(lambda: log('tick.i'))
    timers.next_tick(tick)
    uv_loop.run()


JS_IMMEDIATES = '''
setImmediate(() => {
  log('i1');
  process.nextTick(() => log('i1.tick'));
  setImmediate(() => log('i1.i'));
});
setImmediate((a) => log(`i2 ${a}`), 'arg');
process.nextTick(() => { log('tick'); setImmediate(() => log('tick.i')); });
'''


def py_timers_by_delay(log: Log) -> None:
    timers.set_timeout(lambda: log('a600'), 600)
    timers.set_timeout(lambda: log('b100'), 100)
    timers.set_timeout(lambda: log('c350'), 350)
    timers.set_timeout(lambda a, b: log(f'd100 {a} {b}'), 100, 1, 2)
    uv_loop.run()


JS_TIMERS_BY_DELAY = '''
setTimeout(() => log('a600'), 600);
setTimeout(() => log('b100'), 100);
setTimeout(() => log('c350'), 350);
setTimeout((a, b) => log(`d100 ${a} ${b}`), 100, 1, 2);
'''


def py_one_ms_list(log: Log) -> None:
    # Every delay below becomes Node's 1 ms list: they run in insertion order.
    timers.set_timeout(lambda: log('a 1'), 1)
    timers.set_timeout(lambda: log('b 0'), 0)
    timers.set_timeout(lambda: log('c 1.9'), 1.9)
    timers.set_timeout(lambda: log('d -5'), -5)
    timers.set_timeout(lambda: log('e NaN'), 'x')
    timers.set_timeout(lambda: log('f default'))
    timers.set_timeout(lambda: log('g None'), None)
    timers.set_timeout(lambda: log("h '1.5'"), '1.5')
    timers.set_timeout(lambda: log('i 2**31'), 2 ** 31)
    timers.set_timeout(lambda: log('j 1'), 1)
    uv_loop.run()


JS_ONE_MS_LIST = '''
setTimeout(() => log('a 1'), 1);
setTimeout(() => log('b 0'), 0);
setTimeout(() => log('c 1.9'), 1.9);
setTimeout(() => log('d -5'), -5);
setTimeout(() => log('e NaN'), 'x');
setTimeout(() => log('f default'));
setTimeout(() => log('g None'), null);
setTimeout(() => log("h '1.5'"), '1.5');
setTimeout(() => log('i 2**31'), 2 ** 31);
setTimeout(() => log('j 1'), 1);
'''


def py_lists_before_expiry(log: Log) -> None:
    # Node runs due timers list by list: a2 (5 ms list, due later than b1)
    # still runs before b1 (7 ms list) when both lists are due.
    timers.set_timeout(lambda: log('a1'), 5)
    timers.set_timeout(lambda: log('b1'), 7)
    busy(4)
    timers.set_timeout(lambda: log('a2'), 5)
    busy(30)
    uv_loop.run()


JS_LISTS_BEFORE_EXPIRY = '''
setTimeout(() => log('a1'), 5);
setTimeout(() => log('b1'), 7);
busy(4);
setTimeout(() => log('a2'), 5);
busy(30);
'''


def py_ticks_in_timers(log: Log) -> None:
    def t1() -> None:
        log('t1')
        timers.next_tick(lambda: log('t1.tick'))
        timers.set_immediate(lambda: log('t1.imm'))
    timers.set_timeout(t1, 5)
    timers.set_timeout(lambda: log('t2'), 5)
    busy(100)
    uv_loop.run()


JS_TICKS_IN_TIMERS = '''
setTimeout(() => {
  log('t1');
  process.nextTick(() => log('t1.tick'));
  setImmediate(() => log('t1.imm'));
}, 5);
setTimeout(() => log('t2'), 5);
busy(100);
'''


def py_immediate_next_iteration(log: Log) -> None:
    def i1() -> None:
        log('i1')
        timers.set_immediate(lambda: log('i1.i'))
        timers.set_timeout(lambda: log('i1.t'), 1)
        busy(10)
    timers.set_immediate(i1)
    timers.set_immediate(lambda: log('i2'))
    uv_loop.run()


JS_IMMEDIATE_NEXT_ITERATION = '''
setImmediate(() => {
  log('i1');
  setImmediate(() => log('i1.i'));
  setTimeout(() => log('i1.t'), 1);
  busy(10);
});
setImmediate(() => log('i2'));
'''


def py_timer_then_immediate(log: Log) -> None:
    def t() -> None:
        log('t')
        timers.set_timeout(lambda: log('t.t'), 0)
        timers.set_immediate(lambda: log('t.i'))
        timers.next_tick(lambda: log('t.tick'))
        busy(5)
    timers.set_timeout(t, 1)
    uv_loop.run()


JS_TIMER_THEN_IMMEDIATE = '''
setTimeout(() => {
  log('t');
  setTimeout(() => log('t.t'), 0);
  setImmediate(() => log('t.i'));
  process.nextTick(() => log('t.tick'));
  busy(5);
}, 1);
'''


def py_interval_and_timeout(log: Log) -> None:
    # The interval goes back into its list after its callback, so behind a
    # timer of the same delay that the callback created.
    n = 0

    def tick() -> None:
        nonlocal n
        log(f'iv{n}')
        if n == 0:
            timers.set_timeout(lambda: log('t'), 10)
        else:
            timers.clear_interval(interval)
        n += 1
    interval = timers.set_interval(tick, 10)
    uv_loop.run()


JS_INTERVAL_AND_TIMEOUT = '''
let n = 0;
const iv = setInterval(() => {
  log('iv' + n);
  if (n === 0) setTimeout(() => log('t'), 10);
  else clearInterval(iv);
  n++;
}, 10);
'''


def py_interval_args(log: Log) -> None:
    k = 0

    def tick(a: str, b: str) -> None:
        nonlocal k
        k += 1
        log(f'iv {a} {b} {k}')
        timers.next_tick(lambda: log(f'tick {k}'))
        if k == 3:
            timers.clear_interval(interval)
    interval = timers.set_interval(tick, 1, 'x', 'y')
    uv_loop.run()


JS_INTERVAL_ARGS = '''
let k = 0;
const iv = setInterval((a, b) => {
  k++;
  log(`iv ${a} ${b} ${k}`);
  const kk = k;
  process.nextTick(() => log(`tick ${kk}`));
  if (k === 3) clearInterval(iv);
}, 1, 'x', 'y');
'''


def py_clear_timeout_while_running(log: Log) -> None:
    def a() -> None:
        log('a')
        timers.clear_timeout(b)
        timers.clear_timeout(c)
        timers.clear_timeout(None)
        timers.clear_timeout({})
    timers.set_timeout(a, 5)
    b = timers.set_timeout(lambda: log('b'), 5)
    c = timers.set_timeout(lambda: log('c'), 10)
    timers.set_timeout(lambda: log('d'), 10)

    def self_clearing() -> None:
        log('e')
        timers.clear_timeout(e)
    e = timers.set_timeout(self_clearing, 10)
    f = timers.set_timeout(lambda: log('f'), 10)
    f.close()
    busy(30)
    uv_loop.run()


JS_CLEAR_TIMEOUT_WHILE_RUNNING = '''
let b, c, e;
setTimeout(() => {
  log('a');
  clearTimeout(b);
  clearTimeout(c);
  clearTimeout(null);
  clearTimeout({});
}, 5);
b = setTimeout(() => log('b'), 5);
c = setTimeout(() => log('c'), 10);
setTimeout(() => log('d'), 10);
e = setTimeout(() => { log('e'); clearTimeout(e); }, 10);
const f = setTimeout(() => log('f'), 10);
f.close();
busy(30);
'''


def py_clear_immediate_while_running(log: Log) -> None:
    def a() -> None:
        log('a')
        timers.clear_immediate(b)
    timers.set_immediate(a)
    b = timers.set_immediate(lambda: log('b'))

    def c() -> None:
        log('c')
        timers.next_tick(timers.clear_immediate, d)
    timers.set_immediate(c)
    d = timers.set_immediate(lambda: log('d'))
    timers.set_immediate(lambda: log('e'))
    f = timers.set_immediate(lambda: log('f'))
    timers.clear_immediate(f)
    timers.clear_immediate(None)
    uv_loop.run()


JS_CLEAR_IMMEDIATE_WHILE_RUNNING = '''
let b, d;
setImmediate(() => { log('a'); clearImmediate(b); });
b = setImmediate(() => log('b'));
setImmediate(() => { log('c'); process.nextTick(clearImmediate, d); });
d = setImmediate(() => log('d'));
setImmediate(() => log('e'));
const f = setImmediate(() => log('f'));
clearImmediate(f);
clearImmediate(null);
'''


def py_refresh(log: Log) -> None:
    t = timers.set_timeout(lambda: log('t'), 500)

    def refresher() -> None:
        log('refresh')
        log(js_bool(t.refresh() is t))
    timers.set_timeout(refresher, 250)
    timers.set_timeout(lambda: log('u'), 600)
    uv_loop.run()


JS_REFRESH = '''
const t = setTimeout(() => log('t'), 500);
setTimeout(() => { log('refresh'); log(t.refresh() === t); }, 250);
setTimeout(() => log('u'), 600);
'''


def py_refresh_fired_and_cleared(log: Log) -> None:
    n = 0

    def fired() -> None:
        nonlocal n
        log(f'fired{n}')
        n += 1
        if n < 3:
            timers.set_immediate(t.refresh)
    t = timers.set_timeout(fired, 5)
    cleared = timers.set_timeout(lambda: log('cleared ran'), 5)
    timers.clear_timeout(cleared)
    cleared.refresh()
    uv_loop.run()


JS_REFRESH_FIRED_AND_CLEARED = '''
let n = 0;
const t = setTimeout(() => {
  log('fired' + n);
  n++;
  if (n < 3) setImmediate(() => t.refresh());
}, 5);
const cleared = setTimeout(() => log('cleared ran'), 5);
clearTimeout(cleared);
cleared.refresh();
'''


def py_has_ref(log: Log) -> None:
    def on_t() -> None:
        log(f't.has {js_bool(t.has_ref())}')
    t = timers.set_timeout(on_t, 5)
    log(js_bool(t.has_ref()))
    t.unref()
    log(js_bool(t.has_ref()))
    log(js_bool(t.ref() is t))
    log(js_bool(t.hasRef()))

    def on_i() -> None:
        log(f'i.has {js_bool(i.has_ref())}')
    i = timers.set_immediate(on_i)
    log(js_bool(i.has_ref()))
    log(js_bool(i.unref() is i))
    log(js_bool(i.has_ref()))
    i.ref()
    log(js_bool(i.hasRef()))
    j = timers.set_immediate(lambda: None)
    timers.clear_immediate(j)
    log(f'j {js_bool(j.has_ref())}')
    j.ref()
    log(f'j {js_bool(j.has_ref())}')

    def after() -> None:
        log(f'after t {js_bool(t.has_ref())}')
        log(f'after i {js_bool(i.has_ref())}')
        i.ref()
        log(f'after i.ref {js_bool(i.has_ref())}')
    timers.set_timeout(after, 500)
    busy(20)
    uv_loop.run()


JS_HAS_REF = '''
const t = setTimeout(() => log('t.has ' + t.hasRef()), 5);
log(t.hasRef());
t.unref();
log(t.hasRef());
log(t.ref() === t);
log(t.hasRef());
const i = setImmediate(() => log('i.has ' + i.hasRef()));
log(i.hasRef());
log(i.unref() === i);
log(i.hasRef());
i.ref();
log(i.hasRef());
const j = setImmediate(() => {});
clearImmediate(j);
log('j ' + j.hasRef());
j.ref();
log('j ' + j.hasRef());
setTimeout(() => {
  log('after t ' + t.hasRef());
  log('after i ' + i.hasRef());
  i.ref();
  log('after i.ref ' + i.hasRef());
}, 500);
busy(20);
'''


def py_unref_timers(log: Log) -> None:
    never = timers.set_timeout(lambda: log('never'), 5000)
    never.unref()
    restored = timers.set_timeout(lambda: log('restored'), 5)
    restored.unref()
    restored.ref()
    timers.set_timeout(lambda: log('unref ran while alive'), 5).unref()
    timers.set_timeout(lambda: log('keeper'), 100)
    uv_loop.run()
    timers.clear_timeout(never)


JS_UNREF_TIMERS = '''
setTimeout(() => log('never'), 5000).unref();
const restored = setTimeout(() => log('restored'), 5);
restored.unref();
restored.ref();
setTimeout(() => log('unref ran while alive'), 5).unref();
setTimeout(() => log('keeper'), 100);
'''


def py_unref_immediate_alone(log: Log) -> None:
    alone = timers.set_immediate(lambda: log('unref imm'))
    alone.unref()
    uv_loop.run()
    timers.clear_immediate(alone)


JS_UNREF_IMMEDIATE_ALONE = '''
setImmediate(() => log('unref imm')).unref();
'''


def py_unref_immediate_with_company(log: Log) -> None:
    timers.set_immediate(lambda: log('unref imm')).unref()
    timers.set_immediate(lambda: log('restored imm')).unref().ref()

    def t1() -> None:
        timers.set_immediate(lambda: log('t1.unref imm')).unref()
        timers.set_timeout(lambda: log('t2'), 1)
        log('t1')
    timers.set_timeout(t1, 500)
    uv_loop.run()


JS_UNREF_IMMEDIATE_WITH_COMPANY = '''
setImmediate(() => log('unref imm')).unref();
setImmediate(() => log('restored imm')).unref().ref();
setTimeout(() => {
  setImmediate(() => log('t1.unref imm')).unref();
  setTimeout(() => log('t2'), 1);
  log('t1');
}, 500);
'''


# Uncaught exceptions: Node with an 'uncaughtException' listener that logs
# goes on in the same order as dgram_uv does when run() is called again.

def py_throw_in_timer(log: Log) -> None:
    def a() -> None:
        log('a')
        raise ValueError('boom')
    timers.set_timeout(a, 5)
    timers.set_timeout(lambda: log('b'), 5)
    timers.set_timeout(lambda: log('c'), 500)
    timers.set_immediate(lambda: log('i'))
    busy(30)
    run_until_done(log)


JS_THROW_IN_TIMER = '''
process.on('uncaughtException', (e) => log('caught ' + e.message));
setTimeout(() => { log('a'); throw new Error('boom'); }, 5);
setTimeout(() => log('b'), 5);
setTimeout(() => log('c'), 500);
setImmediate(() => log('i'));
busy(30);
'''


def py_throw_in_immediate(log: Log) -> None:
    def i1() -> None:
        log('i1')
        raise ValueError('imm boom')
    timers.set_immediate(i1)
    timers.set_immediate(lambda: log('i2'))
    timers.set_timeout(lambda: log('t'), 500)
    run_until_done(log)


JS_THROW_IN_IMMEDIATE = '''
process.on('uncaughtException', (e) => log('caught ' + e.message));
setImmediate(() => { log('i1'); throw new Error('imm boom'); });
setImmediate(() => log('i2'));
setTimeout(() => log('t'), 500);
'''


def py_throw_in_tick(log: Log) -> None:
    def t1() -> None:
        log('t1')
        raise ValueError('tick boom')
    timers.next_tick(t1)
    timers.next_tick(lambda: log('t2'))
    timers.set_immediate(lambda: log('i'))
    run_until_done(log)


JS_THROW_IN_TICK = '''
process.on('uncaughtException', (e) => log('caught ' + e.message));
process.nextTick(() => { log('t1'); throw new Error('tick boom'); });
process.nextTick(() => log('t2'));
setImmediate(() => log('i'));
'''


def py_throw_in_interval(log: Log) -> None:
    n = 0

    def tick() -> None:
        nonlocal n
        n += 1
        log(f'iv{n}')
        if n == 3:
            timers.clear_interval(interval)
        if n < 3:
            raise ValueError(f'iv boom {n}')
    interval = timers.set_interval(tick, 5)
    run_until_done(log)


JS_THROW_IN_INTERVAL = '''
process.on('uncaughtException', (e) => log('caught ' + e.message));
let n = 0;
const iv = setInterval(() => {
  n++;
  log('iv' + n);
  if (n === 3) clearInterval(iv);
  if (n < 3) throw new Error('iv boom ' + n);
}, 5);
'''


SCENARIOS: dict[str, tuple[str, Callable[[Log], None]]] = {
    'ticks': (JS_TICKS, py_ticks),
    'immediates': (JS_IMMEDIATES, py_immediates),
    'timers_by_delay': (JS_TIMERS_BY_DELAY, py_timers_by_delay),
    'one_ms_list': (JS_ONE_MS_LIST, py_one_ms_list),
    'lists_before_expiry': (JS_LISTS_BEFORE_EXPIRY, py_lists_before_expiry),
    'ticks_in_timers': (JS_TICKS_IN_TIMERS, py_ticks_in_timers),
    'immediate_next_iteration': (JS_IMMEDIATE_NEXT_ITERATION, py_immediate_next_iteration),
    'timer_then_immediate': (JS_TIMER_THEN_IMMEDIATE, py_timer_then_immediate),
    'interval_and_timeout': (JS_INTERVAL_AND_TIMEOUT, py_interval_and_timeout),
    'interval_args': (JS_INTERVAL_ARGS, py_interval_args),
    'clear_timeout_while_running': (JS_CLEAR_TIMEOUT_WHILE_RUNNING,
                                    py_clear_timeout_while_running),
    'clear_immediate_while_running': (JS_CLEAR_IMMEDIATE_WHILE_RUNNING,
                                      py_clear_immediate_while_running),
    'refresh': (JS_REFRESH, py_refresh),
    'refresh_fired_and_cleared': (JS_REFRESH_FIRED_AND_CLEARED, py_refresh_fired_and_cleared),
    'has_ref': (JS_HAS_REF, py_has_ref),
    'unref_timers': (JS_UNREF_TIMERS, py_unref_timers),
    'unref_immediate_alone': (JS_UNREF_IMMEDIATE_ALONE, py_unref_immediate_alone),
    'unref_immediate_with_company': (JS_UNREF_IMMEDIATE_WITH_COMPANY,
                                     py_unref_immediate_with_company),
    'throw_in_timer': (JS_THROW_IN_TIMER, py_throw_in_timer),
    'throw_in_immediate': (JS_THROW_IN_IMMEDIATE, py_throw_in_immediate),
    'throw_in_tick': (JS_THROW_IN_TICK, py_throw_in_tick),
    'throw_in_interval': (JS_THROW_IN_INTERVAL, py_throw_in_interval),
}

# What Node prints for each scenario, written down so that a reader sees the
# rule (and so that a change in the oracle itself would show).
EXPECTED: dict[str, list[str]] = {
    'ticks': ['main1', 'main2', 't1', 't2 x y', 't1.t'],
    'immediates': ['tick', 'i1', 'i1.tick', 'i2 arg', 'tick.i', 'i1.i'],
    'timers_by_delay': ['b100', 'd100 1 2', 'c350', 'a600'],
    'one_ms_list': ['a 1', 'b 0', 'c 1.9', 'd -5', 'e NaN', 'f default', 'g None',
                    "h '1.5'", 'i 2**31', 'j 1'],
    'lists_before_expiry': ['a1', 'a2', 'b1'],
    'ticks_in_timers': ['t1', 't1.tick', 't2', 't1.imm'],
    'immediate_next_iteration': ['i1', 'i2', 'i1.t', 'i1.i'],
    'timer_then_immediate': ['t', 't.tick', 't.i', 't.t'],
    'interval_and_timeout': ['iv0', 't', 'iv1'],
    'interval_args': ['iv x y 1', 'tick 1', 'iv x y 2', 'tick 2', 'iv x y 3', 'tick 3'],
    'clear_timeout_while_running': ['a', 'd', 'e'],
    'clear_immediate_while_running': ['a', 'c', 'e'],
    'refresh': ['refresh', 'true', 'u', 't'],
    'refresh_fired_and_cleared': ['fired0', 'fired1', 'fired2'],
    'has_ref': ['true', 'false', 'true', 'true', 'true', 'true', 'false', 'true',
                'j false', 'j false', 't.has true', 'i.has false',
                'after t true', 'after i false', 'after i.ref false'],
    'unref_timers': ['restored', 'unref ran while alive', 'keeper'],
    'unref_immediate_alone': [],
    'unref_immediate_with_company': ['unref imm', 'restored imm', 't1', 't1.unref imm', 't2'],
    'throw_in_timer': ['a', 'caught boom', 'b', 'i', 'c'],
    'throw_in_immediate': ['i1', 'caught imm boom', 'i2', 't'],
    'throw_in_tick': ['t1', 'caught tick boom', 't2', 'i'],
    'throw_in_interval': ['iv1', 'caught iv boom 1', 'iv2', 'caught iv boom 2', 'iv3'],
}


# A run() that never returns blocks in libuv, where pytest-timeout's signal
# cannot interrupt it: the thread method ends the session instead.
@pytest.mark.timeout(60, method='thread')
@pytest.mark.parametrize('name', sorted(SCENARIOS))
def test_order_matches_node(name: str, node: Callable[..., Any]) -> None:
    js, py = SCENARIOS[name]
    node_out = node(JS_PRELUDE + js)
    assert node_out == EXPECTED[name], 'the oracle disagrees with the written expectation'
    py_out: list[str] = []
    py(py_out.append)
    assert py_out == node_out


# --- run() and keep-alive ------------------------------------------------------------

@pytest.mark.timeout(20, method='thread')
def test_run_returns_at_once_when_idle() -> None:
    uv_loop.run()
    uv_loop.run()
    ran: list[int] = []
    timers.set_timeout(ran.append, 1, 1)
    uv_loop.run()
    assert ran == [1]


@pytest.mark.timeout(20, method='thread')
def test_unreferenced_timer_and_immediate_do_not_keep_run_alive() -> None:
    ran: list[str] = []
    timer = timers.set_timeout(ran.append, 10, 'timer').unref()
    immediate = timers.set_immediate(ran.append, 'immediate').unref()
    assert not uv_loop.get_loop().alive
    uv_loop.run()
    assert ran == []
    # ref() restores: now both keep the loop alive and run.
    timer.ref()
    immediate.ref()
    assert uv_loop.get_loop().alive
    uv_loop.run()
    assert sorted(ran) == ['immediate', 'timer']


def test_timer_waits_at_least_its_delay_after_the_loop_slept() -> None:
    # The loop's clock is refreshed when a timer is created (Node's
    # getLibuvNow): a timer made long after the last run() still waits.
    uv_loop.run()
    time.sleep(0.2)
    fired: list[float] = []
    start = time.monotonic()
    timers.set_timeout(lambda: fired.append(time.monotonic() - start), 100)
    uv_loop.run()
    assert len(fired) == 1
    assert fired[0] >= 0.098


def test_refresh_restarts_the_delay() -> None:
    fired: list[float] = []
    start = time.monotonic()
    timer = timers.set_timeout(lambda: fired.append(time.monotonic() - start), 60)
    timers.set_timeout(timer.refresh, 40)
    uv_loop.run()
    assert len(fired) == 1
    assert fired[0] >= 0.097


def test_interval_repeats_with_its_delay() -> None:
    stamps: list[float] = []

    def tick() -> None:
        stamps.append(time.monotonic())
        if len(stamps) == 3:
            timers.clear_interval(interval)
    start = time.monotonic()
    interval = timers.set_interval(tick, 30)
    uv_loop.run()
    assert len(stamps) == 3
    assert stamps[0] - start >= 0.028
    assert all(b - a >= 0.028 for a, b in zip(stamps, stamps[1:], strict=False))


def test_run_is_not_reentrant() -> None:
    seen: list[BaseException] = []

    def inner() -> None:
        try:
            uv_loop.run()
        except RuntimeError as exc:
            seen.append(exc)
    timers.set_immediate(inner)
    uv_loop.run()
    assert len(seen) == 1
    assert 'already running' in str(seen[0])


# --- uncaught exceptions ---------------------------------------------------------------

def test_exception_in_timer_stops_run_then_run_continues() -> None:
    log: list[str] = []

    def boom() -> None:
        log.append('boom')
        raise KeyError('timer')
    timers.set_timeout(boom, 5)
    timers.set_timeout(log.append, 5, 'same list')
    timers.set_immediate(log.append, 'immediate')
    busy(100)
    with pytest.raises(KeyError, match='timer') as info:
        uv_loop.run()
    assert info.value.__traceback__ is not None
    # Nothing ran after the exception in that run().
    assert log == ['boom']
    uv_loop.run()
    assert log == ['boom', 'same list', 'immediate']


def test_exception_in_immediate_stops_run_then_run_continues() -> None:
    log: list[str] = []

    def boom() -> None:
        log.append('boom')
        timers.next_tick(log.append, 'tick after boom')
        raise RuntimeError('immediate')
    timers.set_immediate(boom)
    timers.set_immediate(log.append, 'next immediate')
    with pytest.raises(RuntimeError, match='immediate'):
        uv_loop.run()
    assert log == ['boom']
    uv_loop.run()
    assert log == ['boom', 'tick after boom', 'next immediate']


def test_exception_in_tick_stops_run_then_run_continues() -> None:
    log: list[str] = []

    def boom() -> None:
        log.append('boom')
        raise ValueError('tick')

    def in_timer() -> None:
        log.append('timer')
        timers.next_tick(boom)
        timers.next_tick(log.append, 'later tick')
    timers.set_timeout(in_timer, 1)
    timers.set_timeout(log.append, 1, 'same list')
    busy(100)
    with pytest.raises(ValueError, match='tick'):
        uv_loop.run()
    assert log == ['timer', 'boom']
    uv_loop.run()
    assert log == ['timer', 'boom', 'later tick', 'same list']


def test_two_exceptions_are_both_raised() -> None:
    def boom(what: str) -> None:
        raise ValueError(what)
    timers.set_timeout(boom, 1, 'first')
    timers.set_immediate(boom, 'second')
    busy(10)
    with pytest.raises(ValueError, match='first'):
        uv_loop.run()
    with pytest.raises(ValueError, match='second'):
        uv_loop.run()
    uv_loop.run()


def test_callbacks_from_libuv_wait_for_the_next_run_after_an_exception() -> None:
    # Two raw uv timers due in the same iteration call into Python through
    # make_callback; the first raises, so the second waits for the next run().
    uv = uv_loop.get_loop()
    log: list[str] = []

    def boom() -> None:
        log.append('boom')
        raise LookupError('first handle')

    def second() -> None:
        log.append('second')
        timers.next_tick(log.append, 'second.tick')
    first_handle = pyuv.Timer(uv)
    second_handle = pyuv.Timer(uv)
    try:
        first_handle.start(lambda h: uv_loop.make_callback(boom), 0.001, 0)
        second_handle.start(lambda h: uv_loop.make_callback(second), 0.001, 0)
        busy(10)
        with pytest.raises(LookupError):
            uv_loop.run()
        assert log == ['boom']
        uv_loop.run()
        assert log == ['boom', 'second', 'second.tick']
    finally:
        first_handle.close()
        second_handle.close()
        uv.run(pyuv.UV_RUN_NOWAIT)


# --- make_callback ------------------------------------------------------------------

def test_make_callback_calls_then_drains_ticks() -> None:
    log: list[Any] = []

    def tick() -> None:
        log.append('tick')
        timers.next_tick(log.append, 'tick2')

    def callback(*args: Any) -> None:
        log.append(args)
        timers.next_tick(tick)
    uv_loop.make_callback(callback, 1, 'two')
    assert log == [(1, 'two'), 'tick', 'tick2']


def test_make_callback_from_a_uv_handle_drains_ticks_before_immediates() -> None:
    uv = uv_loop.get_loop()
    log: list[str] = []

    def callback() -> None:
        log.append('callback')
        timers.set_immediate(log.append, 'immediate')
        timers.next_tick(log.append, 'tick')
    handle = pyuv.Idle(uv)

    def on_idle(h: pyuv.Idle) -> None:
        h.stop()
        uv_loop.make_callback(callback)
        log.append('after make_callback')
    handle.start(on_idle)
    try:
        uv_loop.run()
    finally:
        handle.close()
        uv.run(pyuv.UV_RUN_NOWAIT)
    assert log == ['callback', 'tick', 'after make_callback', 'immediate']


# --- argument validation --------------------------------------------------------------

BAD_CALLBACKS = [
    # (JS value, Python value, Node's "Received" clause, the Python one)
    ('5', 5, 'type number (5)', 'type int (5)'),
    ("'x'", 'x', "type string ('x')", "type str ('x')"),
    ('undefined', None, 'undefined', 'None'),
    ('{}', {}, 'an instance of Object', 'an instance of dict'),
    ('true', True, 'type boolean (true)', 'type bool (True)'),
]

SCHEDULERS: dict[str, tuple[str, Callable[..., Any]]] = {
    'set_timeout': ('setTimeout', timers.set_timeout),
    'set_interval': ('setInterval', timers.set_interval),
    'set_immediate': ('setImmediate', timers.set_immediate),
    'next_tick': ('process.nextTick', timers.next_tick),
}


@pytest.mark.parametrize('scheduler', sorted(SCHEDULERS))
def test_non_callable_callback_is_err_invalid_arg_type(scheduler: str,
                                                        node: Callable[..., Any]) -> None:
    js_name, schedule = SCHEDULERS[scheduler]
    calls = ', '.join(f'() => {js_name}({js})' for js, *_ in BAD_CALLBACKS)
    node_errors = node(f'''
        const out = [];
        for (const f of [{calls}]) {{
          try {{ f(); out.push(null); }} catch (e) {{ out.push([e.code, e.name, e.message]); }}
        }}
        console.log(JSON.stringify(out));''')
    for (js, value, node_received, py_received), node_err in zip(BAD_CALLBACKS, node_errors,
                                                                    strict=True):
        assert node_err is not None, f'{js_name}({js}) did not throw in Node'
        code, name, message = node_err
        assert (code, name) == ('ERR_INVALID_ARG_TYPE', 'TypeError')
        assert message.endswith('Received ' + node_received)
        with pytest.raises(errors.ERR_INVALID_ARG_TYPE) as info:
            schedule(value)
        err = info.value
        assert isinstance(err, TypeError)
        assert isinstance(err, errors.NodeError)
        assert err.code == code
        assert err.name == name
        assert str(err) == message.replace('Received ' + node_received,
                                           'Received ' + py_received)


# --- the autouse check in conftest.py --------------------------------------------------------

def test_leftovers_are_reported_and_cleaned(leftovers: Callable[[], list[str]]) -> None:
    fired: list[str] = []
    timers.next_tick(fired.append, 'tick')
    timers.set_timeout(fired.append, 1, 'referenced timer')
    timers.set_timeout(fired.append, 1, 'unreferenced timer').unref()
    timers.set_immediate(fired.append, 'immediate')
    handle = pyuv.Timer(uv_loop.get_loop())
    handle.start(lambda h: fired.append('handle'), 1.0, 1.0)
    left = leftovers()
    assert len(left) == 4
    assert left[0] == '1 queued next tick(s)'
    assert left[1] == '1 referenced pending timer(s)'
    assert left[2] == '1 referenced pending immediate(s)'
    assert left[3] == 'referenced active handle(s): Timer'
    assert handle.closed
    assert leftovers() == []
    busy(5)
    uv_loop.run()
    assert fired == []


def test_leftovers_ignore_unreferenced_things(leftovers: Callable[[], list[str]]) -> None:
    fired: list[str] = []
    timers.set_timeout(fired.append, 1, 'unreferenced timer').unref()
    handle = pyuv.Timer(uv_loop.get_loop())
    handle.start(lambda h: fired.append('handle'), 10.0, 0.0)
    handle.ref = False
    try:
        assert leftovers() == []
        busy(5)
        uv_loop.run()
        assert fired == []      # the unreferenced timer was cleared all the same
    finally:
        handle.close()
        uv_loop.get_loop().run(pyuv.UV_RUN_NOWAIT)
