"""AbortController and AbortSignal, translated from Node v23.5.0's tests.

test/parallel/test-abortcontroller.js, test-abortsignal-any.mjs and
test-abortsignal-drop-settled-signals.mjs are translated assertion by assertion;
the other tests check behaviour read off the Node v23.5.0 oracle, each naming the
JS it ran.  test-abortcontroller-internal.js (kWeakHandler) and
test-abortsignal-cloneable.js (MessageChannel) use what this API does not have.
"""

from __future__ import annotations

import gc
import math
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest

from dgram_uv import errors, timers
from dgram_uv._binding import loop as uv_loop
from dgram_uv.abort import (
    AbortController,
    AbortSignal,
    DOMException,
    Event,
    EventTarget,
    ThrownValue,
)


class Calls:
    """node:test's mock.fn: a callable that records its calls."""

    def __init__(self, body: Callable[..., Any] | None = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.body = body

    def __call__(self, *args: Any) -> None:
        self.calls.append(args)
        if self.body is not None:
            self.body(*args)


def sleep(ms: int) -> None:
    """timers/promises' `await sleep(ms)`: run the loop until a timer fires."""
    timers.set_timeout(lambda: None, ms)
    uv_loop.run()


def raises_code(code: str, fn: Callable[..., Any], *args: Any) -> errors.NodeError:
    with pytest.raises(errors.NodeError) as info:
        fn(*args)
    assert info.value.code == code
    return info.value


# --- test/parallel/test-abortcontroller.js ------------------------------------------------

def test_abortcontroller_js_event_type() -> None:
    # test-abortcontroller.js: 'Abort is fired with the correct event type on AbortControllers'
    ac = AbortController()
    assert ac.signal

    def check(event: Event) -> None:
        assert event
        assert event.type == 'abort'

    fn = Calls(check)
    ac.signal.onabort = fn
    ac.signal.add_event_listener('abort', fn)

    ac.abort()
    ac.abort()
    assert ac.signal.aborted
    assert len(fn.calls) == 2


def test_abortcontroller_js_events_are_trusted() -> None:
    # test-abortcontroller.js: 'Abort events are trusted'
    ac = AbortController()
    fn = Calls(lambda event: assert_true(event.is_trusted))
    ac.signal.onabort = fn
    ac.abort()
    assert len(fn.calls) == 1


def assert_true(value: object) -> None:
    assert value


def test_abortcontroller_js_same_is_trusted_getter() -> None:
    # test-abortcontroller.js: 'Abort events have the same isTrusted reference'; the
    # getter is the class's property object in Python.
    first, second = AbortController(), AbortController()
    seen: list[Event] = []
    ev3 = Event('abort')
    first.signal.add_event_listener('abort', seen.append)
    second.signal.add_event_listener('abort', seen.append)
    first.abort()
    second.abort()
    ev1, ev2 = seen
    assert type(ev1).__dict__['is_trusted'] is type(ev2).__dict__['is_trusted']
    assert type(ev3).__dict__['is_trusted'] is type(ev1).__dict__['is_trusted']
    assert (ev1.is_trusted, ev2.is_trusted, ev3.is_trusted) == (True, True, False)


def test_abortcontroller_js_illegal_constructor() -> None:
    # test-abortcontroller.js: 'AbortSignal is impossible to construct manually'
    ac = AbortController()
    raises_code('ERR_ILLEGAL_CONSTRUCTOR', type(ac.signal))
    raises_code('ERR_ILLEGAL_CONSTRUCTOR', type(ac.signal), object())


def test_abortcontroller_js_to_string_tag() -> None:
    # test-abortcontroller.js: 'Symbol.toStringTag is correct'; the class name plays it.
    ac = AbortController()
    assert type(ac).__name__ == 'AbortController'
    assert type(ac.signal).__name__ == 'AbortSignal'


def test_abortcontroller_js_abort_creates_aborted_signal() -> None:
    # test-abortcontroller.js: 'AbortSignal.abort() creates an already aborted signal'
    assert AbortSignal.abort().aborted


BAD_RECEIVERS: list[Any] = [None, 0, math.nan, True, 'AbortController']


def test_abortcontroller_js_controller_validates_receiver() -> None:
    # test-abortcontroller.js: 'AbortController properties and methods valiate the
    # receiver'; JS's { __proto__: AbortController.prototype } is an uninitialised instance.
    signal_get = cast(property, AbortController.signal).fget
    assert signal_get is not None
    good = AbortController()
    assert signal_get(good)
    AbortController.abort(good)
    for bad in [*BAD_RECEIVERS, object.__new__(AbortController)]:
        with pytest.raises(TypeError):
            signal_get(bad)
        with pytest.raises(TypeError):
            AbortController.abort(bad)


def test_abortcontroller_js_signal_validates_receiver() -> None:
    # test-abortcontroller.js: 'AbortSignal properties validate the receiver'
    aborted_get = cast(property, AbortSignal.aborted).fget
    assert aborted_get is not None
    assert aborted_get(AbortController().signal) is False
    for bad in [*BAD_RECEIVERS, object.__new__(AbortSignal)]:
        with pytest.raises(TypeError):
            aborted_get(bad)


def test_abortcontroller_js_inspect() -> None:
    # test-abortcontroller.js: inspect(ac, { depth: null }); repr() plays util.inspect,
    # and Python has no depth option, so depth 1 has no twin.
    assert repr(AbortController()) == 'AbortController { signal: AbortSignal { aborted: false } }'


def test_abortcontroller_js_reason() -> None:
    # test-abortcontroller.js: 'AbortSignal reason is set correctly' (and with abort())
    ac = AbortController()
    ac.abort('reason')
    assert ac.signal.reason == 'reason'
    assert AbortSignal.abort('reason').reason == 'reason'


def test_abortcontroller_js_timeout() -> None:
    # test-abortcontroller.js: 'AbortSignal.timeout() works as expected'
    signal = AbortSignal.timeout(10)
    assert not signal.aborted

    def check() -> None:
        assert signal.aborted
        assert signal.reason.name == 'TimeoutError'
        assert signal.reason.code == 23

    fn = Calls(check)
    timers.set_timeout(fn, 20)
    uv_loop.run()
    assert len(fn.calls) == 1


def test_abortcontroller_js_timeout_does_not_prevent_collection() -> None:
    # test-abortcontroller.js: 'AbortSignal.timeout() does not prevent the signal from
    # being collected'
    ref = weakref.ref(AbortSignal.timeout(1_200_000))
    sleep(10)
    gc.collect()
    assert ref() is None


def test_abortcontroller_js_timeout_kept_while_listened() -> None:
    # test-abortcontroller.js: 'AbortSignal with a timeout is not collected while there
    # is an active listener'
    def handler(event: Event) -> None:
        pass

    # JS's WeakRef keeps its target until the current job ends; CPython frees an
    # unreferenced object at once, so the signal is held until the listener is on.
    signal: AbortSignal | None = AbortSignal.timeout(1_200_000)
    assert signal is not None
    ref = weakref.ref(signal)
    signal.add_event_listener('abort', handler)
    del signal

    sleep(10)
    gc.collect()
    signal = ref()
    assert signal is not None
    assert isinstance(signal, AbortSignal)

    signal.remove_event_listener('abort', handler)
    del signal
    sleep(10)
    gc.collect()
    assert ref() is None


def test_abortcontroller_js_long_timeout_does_not_keep_loop_open() -> None:
    # test-abortcontroller.js: 'Setting a long timeout should not keep the process open'
    AbortSignal.timeout(1_200_000)
    started = time.monotonic()
    uv_loop.run()
    assert time.monotonic() - started < 5


def test_abortcontroller_js_default_reason() -> None:
    # test-abortcontroller.js: 'AbortSignal.reason should default'
    signal = AbortSignal.abort()
    assert isinstance(signal.reason, DOMException)
    assert signal.reason.code == 20

    ac = AbortController()
    ac.abort()
    assert isinstance(ac.signal.reason, DOMException)
    assert ac.signal.reason.code == 20


def test_abortcontroller_js_throw_if_aborted() -> None:
    # test-abortcontroller.js: 'abortSignal.throwIfAborted() works as expected'
    with pytest.raises(DOMException) as info:
        AbortSignal.abort().throw_if_aborted()
    assert (info.value.code, info.value.name) == (20, 'AbortError')
    AbortController().signal.throw_if_aborted()   # does not raise: not aborted


def test_abortcontroller_js_throw_if_aborted_ignores_overridden_aborted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # test-abortcontroller.js: 'abortSignal.throwIfAobrted() works as expected (2)'
    actual = Exception()
    monkeypatch.setattr(AbortSignal, 'aborted', False)
    with pytest.raises(Exception) as info:
        AbortSignal.abort(actual).throw_if_aborted()
    assert info.value is actual


def test_abortcontroller_js_throw_if_aborted_ignores_overridden_reason(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # test-abortcontroller.js: 'abortSignal.throwIfAobrted() works as expected (3)'
    actual, fake = Exception(), Exception()
    monkeypatch.setattr(AbortSignal, 'reason', fake)
    with pytest.raises(Exception) as info:
        AbortSignal.abort(actual).throw_if_aborted()
    assert info.value is actual


# --- test/parallel/test-abortsignal-any.mjs -----------------------------------------------

def test_any_mjs_requires_a_sequence() -> None:
    # test-abortsignal-any.mjs: 'should throw when not receiving an array'; JS's null and
    # undefined are both None, and AbortSignal.any() is Python's own TypeError.
    raises_code('ERR_INVALID_ARG_TYPE', AbortSignal.any, None)
    with pytest.raises(TypeError):
        AbortSignal.any()  # type: ignore[call-arg]


def test_any_mjs_rejects_non_signals() -> None:
    # test-abortsignal-any.mjs: 'should throw when input contains non-signal values'
    err = raises_code('ERR_INVALID_ARG_TYPE', AbortSignal.any, [AbortSignal.abort(), None])
    assert str(err) == ('The "signals[1]" argument must be an instance of AbortSignal. '
                        'Received None')


def test_any_mjs_empty_input() -> None:
    # test-abortsignal-any.mjs: 'creates a non-aborted signal for an empty input'
    signal = AbortSignal.any([])
    assert signal.aborted is False
    never = Calls()
    signal.add_event_listener('abort', never)
    uv_loop.run()
    assert never.calls == []


def test_any_mjs_returns_a_new_signal() -> None:
    # test-abortsignal-any.mjs: 'returns a new signal'
    original = AbortController().signal
    assert AbortSignal.any([original]) is not original


def test_any_mjs_aborted_input() -> None:
    # test-abortsignal-any.mjs: 'returns an aborted signal if input has an aborted signal'
    # and '... with the reason of first aborted signal input'
    for inputs in ([AbortSignal.abort('some reason')],
                   [AbortSignal.abort('some reason'), AbortSignal.abort('another reason')]):
        signal = AbortSignal.any(inputs)
        assert signal.aborted is True
        assert signal.reason == 'some reason'
        never = Calls()
        signal.add_event_listener('abort', never)
        uv_loop.run()
        assert never.calls == []


def test_any_mjs_event_target() -> None:
    # test-abortsignal-any.mjs: 'returns the correct signal in the event target'
    signal = AbortSignal.any([AbortSignal.timeout(5)])
    interval = timers.set_interval(lambda: None, 100000)   # keep the event loop alive
    events: list[Event] = []

    def on_abort(event: Event) -> None:
        events.append(event)
        timers.clear_interval(interval)

    signal.add_event_listener('abort', on_abort, {'once': True})
    uv_loop.run()
    [event] = events
    assert event.target is signal
    assert signal.aborted
    assert signal.reason.name == 'TimeoutError'


def test_any_mjs_first_abort_wins() -> None:
    # test-abortsignal-any.mjs: 'aborts with reason of first aborted signal'
    controllers = [AbortController() for _ in range(3)]
    combined = AbortSignal.any([c.signal for c in controllers])
    controllers[1].abort(1)
    controllers[2].abort(2)
    assert combined.aborted
    assert combined.reason == 1


def test_any_mjs_same_signal_twice() -> None:
    # test-abortsignal-any.mjs: 'can accept the same signal more than once'
    controller = AbortController()
    signal = AbortSignal.any([controller.signal, controller.signal])
    assert signal.aborted is False
    controller.abort('reason')
    assert signal.aborted
    assert signal.reason == 'reason'


def test_any_mjs_deeply_aborted() -> None:
    # test-abortsignal-any.mjs: 'handles deeply aborted signals'
    controllers = [AbortController() for _ in range(2)]
    composed1 = AbortSignal.any([controllers[0].signal])
    composed2 = AbortSignal.any([composed1, controllers[1].signal])
    must_call = Calls()
    composed2.onabort = must_call
    controllers[0].abort()
    assert composed2.aborted
    assert isinstance(composed2.reason, DOMException)
    assert composed2.reason.name == 'AbortError'
    assert len(must_call.calls) == 1


def test_any_mjs_handler_order() -> None:
    # test-abortsignal-any.mjs: 'executes abort handlers in correct order'
    controller = AbortController()
    signals = [controller.signal]
    signals.append(AbortSignal.any([controller.signal]))
    signals.append(AbortSignal.any([controller.signal]))
    signals.append(AbortSignal.any([signals[0]]))
    signals.append(AbortSignal.any([signals[1]]))
    result: list[str] = []
    for i, signal in enumerate(signals):
        signal.add_event_listener('abort', lambda event, i=i: result.append(str(i)))
    controller.abort()
    assert ''.join(result) == '01234'


def test_any_mjs_accepts_iterables() -> None:
    # test-abortsignal-any.mjs: 'must accept WebIDL sequence' (a generator here)
    controller = AbortController()

    def iterable() -> Iterator[AbortSignal]:
        yield controller.signal
        yield AbortController().signal
        yield AbortController().signal
        yield AbortController().signal

    signal = AbortSignal.any(iterable())
    result = Calls()
    signal.add_event_listener('abort', result)
    controller.abort()
    assert len(result.calls) == 1


def test_any_mjs_rejects_signal_look_alikes() -> None:
    # test-abortsignal-any.mjs: 'throws TypeError if any value does not implement AbortSignal'
    class LookAlike:
        aborted, reason, throwIfAborted = True, '', None

    for value in (None, '123', 123, {}, {'aborted': True}, LookAlike()):
        raises_code('ERR_INVALID_ARG_TYPE', AbortSignal.any, [value])


# --- test/parallel/test-abortsignal-drop-settled-signals.mjs -------------------------------
# Node runs 10_000 iterations on immediates and reads the kDependantSignals symbol;
# here 500 iterations, and the dependants are the signal's `_dependants`.

LIMIT = 500


def _run_iterations(step: Callable[[int], None], finish: Callable[[], None]) -> None:
    def run(iteration: int) -> None:
        if iteration > LIMIT:
            finish()
            return
        step(iteration)
        timers.set_immediate(run, iteration + 1)

    run(1)
    uv_loop.run()


def test_drop_settled_mjs_drops_settled_dependants() -> None:
    # test-abortsignal-drop-settled-signals.mjs: 'drops settled dependant signals'
    ac = AbortController()
    handler = Calls()
    refs: list[weakref.ref[AbortSignal]] = []

    def step(iteration: int) -> None:
        if refs and (previous := refs[-1]()) is not None:
            previous.remove_event_listener('abort', handler)   # lets it be collected
        signal = AbortSignal.any([ac.signal])
        signal.add_event_listener('abort', handler)
        refs.append(weakref.ref(signal))

    def finish() -> None:
        if (last := refs[-1]()) is not None:
            last.remove_event_listener('abort', handler)

    _run_iterations(step, finish)
    gc.collect()
    assert len(ac.signal._dependants) == 0


def test_drop_settled_mjs_keeps_active_dependants() -> None:
    # test-abortsignal-drop-settled-signals.mjs: 'keeps all active dependant signals'
    ac = AbortController()
    retained: list[AbortSignal] = []
    _run_iterations(lambda i: retained.append(AbortSignal.any([ac.signal])), lambda: None)
    gc.collect()
    assert len(ac.signal._dependants) == LIMIT


def test_drop_settled_mjs_short_lived_sources_are_collected() -> None:
    # test-abortsignal-drop-settled-signals.mjs: 'does not prevent source signal from
    # being GCed if it is short-lived'
    refs: list[weakref.ref[AbortSignal]] = []

    def step(iteration: int) -> None:
        ac = AbortController()
        refs.append(weakref.ref(ac.signal))
        AbortSignal.any([ac.signal])

    _run_iterations(step, lambda: None)
    gc.collect()
    assert [ref for ref in refs if ref() is not None] == []


def test_drop_settled_mjs_composite() -> None:
    # test-abortsignal-drop-settled-signals.mjs: 'drops settled dependant signals when
    # signal is composite'
    # (the signals are held until the sizes are read, which JS's WeakRef does itself)
    controllers = [AbortController() for _ in range(2)]
    composed1 = AbortSignal.any([controllers[0].signal])
    composed2 = AbortSignal.any([composed1, controllers[1].signal])
    composed_ref = weakref.ref(composed2)
    assert len(controllers[0].signal._dependants) == 2
    assert len(controllers[1].signal._dependants) == 1
    del composed1, composed2
    gc.collect()
    assert composed_ref() is None
    assert max(len(c.signal._dependants) for c in controllers) == 0


def test_drop_settled_mjs_orphan_listeners() -> None:
    # test-abortsignal-drop-settled-signals.mjs: 'drops settled signals even when there
    # are listeners'
    refs: list[weakref.ref[AbortSignal]] = []
    handler = Calls()

    def step(iteration: int) -> None:
        ac = AbortController()
        composed = AbortSignal.any([ac.signal])
        composed.add_event_listener('abort', handler)
        other = AbortSignal.any([composed])
        other.add_event_listener('abort', handler)
        refs.extend((weakref.ref(composed), weakref.ref(other)))

    _run_iterations(step, lambda: None)
    gc.collect()
    assert [ref for ref in refs if ref() is not None] == []


# --- behaviour read off the Node v23.5.0 oracle ---------------------------------------------

def test_onabort_keeps_its_place() -> None:
    # add 'a'; onabort = on1; add 'b'; onabort = on2; abort() -> a,on2,b
    # onabort = on1; add 'b'; onabort = null (reads null); onabort = on2; abort() -> on2,b
    order: list[str] = []
    ac = AbortController()
    ac.signal.add_event_listener('abort', lambda e: order.append('a'))
    ac.signal.onabort = lambda e: order.append('on1')
    ac.signal.add_event_listener('abort', lambda e: order.append('b'))
    ac.signal.onabort = lambda e: order.append('on2')
    ac.abort()
    assert order == ['a', 'on2', 'b']

    order.clear()
    ac = AbortController()
    ac.signal.onabort = lambda e: order.append('on1')
    ac.signal.add_event_listener('abort', lambda e: order.append('b'))
    ac.signal.onabort = None
    assert ac.signal.onabort is None
    ac.signal.onabort = lambda e: order.append('on2')
    ac.abort()
    assert order == ['on2', 'b']


def test_listeners_changing_during_dispatch() -> None:
    # f added twice (kept once); x adds 'late' and removes g; abort() -> f,x,late
    order: list[str] = []
    ac = AbortController()

    def f(event: Event) -> None:
        order.append('f')

    def g(event: Event) -> None:
        order.append('g')

    def x(event: Event) -> None:
        order.append('x')
        ac.signal.add_event_listener('abort', lambda e: order.append('late'))
        ac.signal.remove_event_listener('abort', g)

    for listener in (f, f, x, g):
        ac.signal.add_event_listener('abort', listener)
    ac.abort()
    assert order == ['f', 'x', 'late']


def test_dispatch_event_and_once() -> None:
    # once + always; dispatchEvent(new Event('abort')) twice -> once,always,always and the
    # signal is not aborted; a 'foo' event: type, isTrusted false, target, currentTarget
    order: list[str] = []
    signal = AbortController().signal
    signal.add_event_listener('abort', lambda e: order.append('once'), {'once': True})
    signal.add_event_listener('abort', lambda e: order.append('always'))
    signal.dispatch_event(Event('abort'))
    signal.dispatch_event(Event('abort'))
    assert order == ['once', 'always', 'always'] and signal.aborted is False

    seen: list[tuple[Any, ...]] = []
    signal.add_event_listener('foo', lambda e: seen.append(
        (e.type, e.is_trusted, e.target is signal, e.current_target is signal)))
    assert signal.dispatch_event(Event('foo')) is True
    assert seen == [('foo', False, True, True)]


def test_stop_and_prevent_default() -> None:
    # stopImmediatePropagation() in the first listener stops the second;
    # preventDefault(): dispatchEvent returns true, or false for {cancelable: true}
    order: list[str] = []
    ac = AbortController()
    ac.signal.add_event_listener('abort', lambda e: e.stop_immediate_propagation())
    ac.signal.add_event_listener('abort', lambda e: order.append('after stop'))
    ac.abort()
    assert order == []

    target = EventTarget()
    target.add_event_listener('y', lambda e: e.prevent_default())
    assert target.dispatch_event(Event('y')) is True
    assert target.dispatch_event(Event('y', {'cancelable': True})) is False


def test_handle_event_objects() -> None:
    # addEventListener('abort', {handleEvent(e) {...}}) -> called with the event
    class Listener:
        def __init__(self) -> None:
            self.types: list[str] = []

        def handleEvent(self, event: Event) -> None:
            self.types.append(event.type)

    ac, listener = AbortController(), Listener()
    ac.signal.add_event_listener('abort', listener)
    ac.abort()
    assert listener.types == ['abort']


def test_event_target_argument_errors() -> None:
    # dispatchEvent('abort'); addEventListener('abort', 1); removeEventListener('abort', 1);
    # addEventListener('abort', null) only warns; removing an unknown listener is a no-op
    signal = AbortController().signal
    err = raises_code('ERR_INVALID_ARG_TYPE', signal.dispatch_event, 'abort')
    assert str(err) == ('The "event" argument must be an instance of Event. '
                        "Received type str ('abort')")
    err = raises_code('ERR_INVALID_ARG_TYPE', signal.add_event_listener, 'abort', 1)
    assert str(err) == ('The "listener" argument must be an instance of EventListener. '
                        'Received type int (1)')
    raises_code('ERR_INVALID_ARG_TYPE', signal.remove_event_listener, 'abort', 1)
    with pytest.warns(RuntimeWarning, match='addEventListener called with None'):
        signal.add_event_listener('abort', None)
    signal.remove_event_listener('abort', lambda e: None)


def test_timeout_validation() -> None:
    # AbortSignal.timeout(-1), ('1'), (1.5), (2 ** 32)
    err = raises_code('ERR_OUT_OF_RANGE', AbortSignal.timeout, -1)
    assert str(err) == ('The value of "delay" is out of range. It must be >= 0 && '
                        '<= 4294967295. Received -1')
    raises_code('ERR_INVALID_ARG_TYPE', AbortSignal.timeout, '1')
    raises_code('ERR_OUT_OF_RANGE', AbortSignal.timeout, 1.5)
    raises_code('ERR_OUT_OF_RANGE', AbortSignal.timeout, 2 ** 32)


def test_timeout_reason() -> None:
    # AbortSignal.timeout(0) aborts on the loop with
    # DOMException [TimeoutError]: The operation was aborted due to timeout
    signal = AbortSignal.timeout(0)
    events: list[Event] = []
    signal.add_event_listener('abort', events.append)
    timers.set_timeout(lambda: None, 20)   # the signal's own timer is unref'd
    uv_loop.run()
    assert [e.target for e in events] == [signal] and events[0].is_trusted
    reason = signal.reason
    assert isinstance(reason, DOMException)
    assert (reason.name, reason.code, str(reason)) == (
        'TimeoutError', 23, 'The operation was aborted due to timeout')


def test_any_not_a_sequence_message() -> None:
    # AbortSignal.any(1) and AbortSignal.any('ab') -> ERR_INVALID_ARG_TYPE
    # 'signals can not be converted to sequence.'
    for value in (1, 'ab'):
        err = raises_code('ERR_INVALID_ARG_TYPE', AbortSignal.any, value)
        assert str(err) == 'signals can not be converted to sequence.'


def test_default_reason_text_and_non_error_reasons() -> None:
    # String(reason) of the default; AbortSignal.abort('x').throwIfAborted() throws 'x',
    # which Python carries in ThrownValue.value; abort(undefined) uses the default
    reason = AbortSignal.abort().reason
    assert (reason.name, reason.code, reason.message) == (
        'AbortError', 20, 'This operation was aborted')
    with pytest.raises(ThrownValue) as info:
        AbortSignal.abort('x').throw_if_aborted()
    assert info.value.value == 'x'
    ac = AbortController()
    ac.abort(None)
    assert ac.signal.reason.name == 'AbortError'


def test_signal_option_removes_the_listener() -> None:
    # addEventListener('abort', fn, {signal: c2.signal}); c2.abort(); c.abort() -> 0 calls
    c, c2 = AbortController(), AbortController()
    fn = Calls()
    c.signal.add_event_listener('abort', fn, {'signal': c2.signal})
    c2.abort()
    c.abort()
    assert fn.calls == []
    # an already aborted signal adds nothing
    c3 = AbortController()
    c3.signal.add_event_listener('abort', fn, {'signal': AbortSignal.abort()})
    c3.abort()
    assert fn.calls == []


def test_listener_exception_is_uncaught_on_next_tick() -> None:
    # A listener throws: the next one runs, abort() returns, the error is uncaught
    # on the next tick, before a tick queued afterwards -> second ran, after abort,
    # uncaught boom, tick1
    order: list[str] = []
    c = AbortController()

    def boom(event: Event) -> None:
        raise ValueError('boom')

    c.signal.add_event_listener('abort', boom)
    c.signal.add_event_listener('abort', lambda e: order.append('second ran'))
    c.abort()
    order.append('after abort')
    timers.next_tick(lambda: order.append('tick1'))
    with pytest.raises(ValueError, match='boom'):
        uv_loop.run()
    order.append('uncaught')
    uv_loop.run()
    assert order == ['second ran', 'after abort', 'uncaught', 'tick1']


def test_state_inside_listener_and_reentrant_abort() -> None:
    # In a listener: aborted true, reason 5, target is the signal; abort(7) in the listener
    # changes nothing and the listener runs once
    c = AbortController()
    seen: list[tuple[Any, ...]] = []

    def listener(event: Event) -> None:
        seen.append((c.signal.aborted, c.signal.reason, event.target is c.signal))
        c.abort(7)

    c.signal.add_event_listener('abort', listener)
    c.abort(5)
    assert seen == [(True, 5, True)] and c.signal.reason == 5


def test_event_recursion() -> None:
    # Dispatching an event from its own first listener -> ERR_EVENT_RECURSION, uncaught
    # 'The event "abort" is already being dispatched'
    c = AbortController()
    event = Event('abort')
    c.signal.add_event_listener('abort', lambda e: c.signal.dispatch_event(event))
    c.signal.dispatch_event(event)
    with pytest.raises(errors.NodeError) as info:
        uv_loop.run()
    assert info.value.code == 'ERR_EVENT_RECURSION'
    assert str(info.value) == 'The event "abort" is already being dispatched'


def test_camel_case_names() -> None:
    # (the camelCase aliases are made at run time, which mypy cannot see: hence Any)
    c: Any = AbortController()
    fn = Calls()
    c.signal.addEventListener('abort', fn)
    c.signal.removeEventListener('abort', fn)
    c.signal.addEventListener('abort', lambda e: fn(e.isTrusted, e.currentTarget is c.signal,
                                                    e.defaultPrevented))
    c.abort()
    assert fn.calls == [(True, True, False)]
    with pytest.raises(DOMException):
        c.signal.throwIfAborted()
    assert c.signal.dispatchEvent(Event('x')) is True


def test_composite_holds_its_timeout_sources() -> None:
    # const s = AbortSignal.any([AbortSignal.timeout(5)]); setTimeout(() =>
    # console.log(s.aborted, s.reason.name), 20) -> true TimeoutError. Node 23.5 holds the
    # timeout source weakly (V8 may collect it: nodejs/node#57736); CPython would free
    # it at once, so the composite holds it, and lets it go with itself.
    signal = AbortSignal.any([AbortSignal.timeout(5)])
    timers.set_timeout(lambda: None, 20)
    uv_loop.run()
    assert signal.aborted and signal.reason.name == 'TimeoutError'

    timeout = AbortSignal.timeout(1_200_000)
    ref = weakref.ref(timeout)
    composite = AbortSignal.any([timeout])
    del timeout
    gc.collect()
    assert ref() is not None
    del composite
    gc.collect()
    assert ref() is None
