"""dgram_uv.diagnostics_channel against Node v23.5.0's diagnostics_channel.

Each test runs the same steps in the Node oracle and in dgram_uv and compares
what they observed: return values, subscriber calls, errors (code, class, and
the message up to its "Received ..." clause, which describes the Python value),
the order of next ticks around a failing subscriber, and dgram's ``'udp.socket'``
publication from the Socket constructor.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

import pytest

import dgram_uv as dgram
from dgram_uv import diagnostics_channel as dc
from dgram_uv import errors

Node = Callable[..., Any]

JS_TRY = '''
function attempt(f) {
  try { const r = f(); return {ret: r === undefined ? null : r}; }
  catch (e) { return {name: e.name, code: e.code, message: e.message}; }
}
'''


def attempt(fn: Callable[[], Any]) -> dict[str, Any]:
    """What JS_TRY's ``attempt`` records, for a Python call: the value, or the error."""
    try:
        return {'ret': fn()}
    except errors.NodeError as err:
        return {'name': err.name, 'code': err.code, 'message': str(err)}


def same_error(python: dict[str, Any], node: dict[str, Any], received: str) -> None:
    """Node's error, but with the "Received ..." clause describing the Python value."""
    assert python['name'] == node['name'] and python['code'] == node['code'], (python, node)
    node_head, _, _ = node['message'].partition(' Received ')
    assert python['message'] == f'{node_head} Received {received}', (python, node)


def test_bad_names_and_subscribers_raise_nodes_errors(node: Node) -> None:
    js = node(JS_TRY + '''
      const dc = require('diagnostics_channel');
      const ch = dc.channel('bad-args');
      console.log(JSON.stringify({
        num: attempt(() => dc.channel(123)), nul: attempt(() => dc.channel(null)),
        obj: attempt(() => dc.channel({})), sub: attempt(() => ch.subscribe(1)),
        modSub: attempt(() => dc.subscribe('bad-args', 'nope')),
        modSubName: attempt(() => dc.subscribe(123, () => {})),
        modUnsubName: attempt(() => dc.unsubscribe(123, () => {})),
        modHas: attempt(() => dc.hasSubscribers(123)),
        modHasObj: attempt(() => dc.hasSubscribers({})),
      }));
    ''')
    ch = dc.channel('bad-args')
    same_error(attempt(lambda: dc.channel(123)), js['num'], 'type int (123)')
    same_error(attempt(lambda: dc.channel(None)), js['nul'], 'None')
    same_error(attempt(lambda: dc.channel({})), js['obj'], 'an instance of dict')
    same_error(attempt(lambda: ch.subscribe(1)), js['sub'], 'type int (1)')     # type: ignore[arg-type]
    same_error(attempt(lambda: dc.subscribe('bad-args', 'nope')), js['modSub'],  # type: ignore[arg-type]
               "type str ('nope')")
    same_error(attempt(lambda: dc.subscribe(123, print)), js['modSubName'], 'type int (123)')
    same_error(attempt(lambda: dc.unsubscribe(123, print)), js['modUnsubName'], 'type int (123)')
    assert attempt(lambda: dc.has_subscribers(123)) == js['modHas'] == {'ret': False}
    assert attempt(lambda: dc.has_subscribers({})) == js['modHasObj'] == {'ret': False}
    with pytest.raises(TypeError):      # Node's TypeError codes are TypeErrors
        dc.channel(1.5)


def test_subscribe_unsubscribe_publish_as_node(node: Node) -> None:
    js = node(JS_TRY + '''
      const dc = require('diagnostics_channel');
      const out = {};
      const ch = dc.channel('x');
      out.same = dc.channel('x') === ch;
      out.name = ch.name;
      out.before = [ch.hasSubscribers, dc.hasSubscribers('x')];
      out.unsubInactive = ch.unsubscribe(() => {});
      attempt(() => ch.subscribe(1));
      // Marked active before validation: "subscribers" with nobody subscribed.
      out.afterBadSub = [ch.hasSubscribers, dc.hasSubscribers('x'),
                         ch.unsubscribe(() => {}), ch.hasSubscribers];
      const calls = [];
      const f = (m, n) => calls.push(['f', m, n]);
      const g = (m, n) => calls.push(['g', m, n]);
      out.subRet = attempt(() => ch.subscribe(f));
      ch.subscribe(g); ch.subscribe(f);
      out.publishRet = attempt(() => ch.publish({a: 1}));
      out.unsub = [ch.unsubscribe(f), ch.hasSubscribers];
      ch.publish('two');
      out.unsub2 = [ch.unsubscribe(f), ch.unsubscribe(g), ch.hasSubscribers,
                    dc.hasSubscribers('x'), ch.unsubscribe(f)];
      ch.publish('unheard');
      out.calls = calls;
      out.mod = [attempt(() => dc.subscribe('z', f)), dc.hasSubscribers('z'),
                 dc.channel('z').hasSubscribers, attempt(() => dc.unsubscribe('z', f)),
                 attempt(() => dc.unsubscribe('z', f)), dc.hasSubscribers('z'),
                 dc.hasSubscribers('never made')];
      // A subscriber added during a publish waits for the next one; one removed
      // during a publish is still called by it.
      const order = [];
      const c = dc.channel('during');
      const h = (m) => order.push('h' + m);
      const k = (m) => order.push('k' + m);
      const a = (m) => { order.push('a' + m); c.subscribe(h); c.unsubscribe(k); };
      c.subscribe(a); c.subscribe(k);
      c.publish(1); c.publish(2);
      out.during = order;
      console.log(JSON.stringify(out));
    ''')
    ch = dc.channel('x')
    assert (dc.channel('x') is ch) is js['same'] is True
    assert ch.name == js['name']
    assert [ch.has_subscribers, dc.has_subscribers('x')] == js['before']
    assert ch.unsubscribe(lambda *a: None) is js['unsubInactive']
    attempt(lambda: ch.subscribe(1))    # type: ignore[arg-type]
    assert [ch.has_subscribers, dc.has_subscribers('x'), ch.unsubscribe(lambda *a: None),
            ch.hasSubscribers] == js['afterBadSub']
    calls: list[list[Any]] = []

    def f(m: Any, n: Any) -> None:
        calls.append(['f', m, n])

    def g(m: Any, n: Any) -> None:
        calls.append(['g', m, n])

    assert attempt(lambda: ch.subscribe(f)) == js['subRet']
    ch.subscribe(g)
    ch.subscribe(f)
    assert attempt(lambda: ch.publish({'a': 1})) == js['publishRet']
    assert [ch.unsubscribe(f), ch.has_subscribers] == js['unsub']
    ch.publish('two')
    assert [ch.unsubscribe(f), ch.unsubscribe(g), ch.has_subscribers,
            dc.has_subscribers('x'), ch.unsubscribe(f)] == js['unsub2']
    ch.publish('unheard')
    assert calls == js['calls']
    assert [attempt(lambda: dc.subscribe('z', f)), dc.has_subscribers('z'),
            dc.channel('z').hasSubscribers, attempt(lambda: dc.unsubscribe('z', f)),
            attempt(lambda: dc.unsubscribe('z', f)), dc.hasSubscribers('z'),
            dc.has_subscribers('never made')] == js['mod']
    order: list[str] = []
    c = dc.channel('during')

    def h(m: Any, n: Any) -> None:
        order.append(f'h{m}')

    def k(m: Any, n: Any) -> None:
        order.append(f'k{m}')

    def a(m: Any, n: Any) -> None:
        order.append(f'a{m}')
        c.subscribe(h)
        c.unsubscribe(k)

    c.subscribe(a)
    c.subscribe(k)
    c.publish(1)
    c.publish(2)
    assert order == js['during']
    c.unsubscribe(a)
    c.unsubscribe(h)


def test_a_subscribed_channel_outlives_its_holders() -> None:
    # Node keeps a channel alive while it has subscribers (and only then), so
    # that a module-level subscribe is not lost when nothing else holds it.
    seen: list[Any] = []

    def on_message(message: Any, name: Any) -> None:
        seen.append((message, name))

    dc.subscribe('held', on_message)
    gc.collect()
    assert dc.has_subscribers('held')
    dc.channel('held').publish('m')
    assert seen == [('m', 'held')]
    assert dc.unsubscribe('held', on_message) is True
    gc.collect()
    assert not dc.has_subscribers('held')
    kept = dc.channel('held')
    gc.collect()
    assert dc.channel('held') is kept


def test_a_failing_subscriber_raises_on_the_next_tick(node: Node) -> None:
    # Node: the other subscribers still run; the error is thrown from a next
    # tick queued by publish, so it comes after the ticks queued before.
    js = node('''
      const dc = require('diagnostics_channel');
      const out = [];
      const ch = dc.channel('fails');
      ch.subscribe(() => { throw new Error('boom'); });
      ch.subscribe((m) => out.push('second ' + m));
      process.on('uncaughtException', (e) => {
        out.push('uncaught ' + e.message);
        process.nextTick(() => console.log(JSON.stringify(out)));
      });
      process.nextTick(() => out.push('tick before'));
      ch.publish(1);
      out.push('after publish');
      process.nextTick(() => out.push('tick after'));
    ''')
    out: list[str] = []
    ch = dc.channel('fails')

    def fails(m: Any, n: Any) -> None:
        raise RuntimeError('boom')

    def second(m: Any, n: Any) -> None:
        out.append(f'second {m}')

    ch.subscribe(fails)
    ch.subscribe(second)
    dgram.next_tick(lambda: out.append('tick before'))
    ch.publish(1)
    out.append('after publish')
    dgram.next_tick(lambda: out.append('tick after'))
    with pytest.raises(RuntimeError, match='boom') as caught:
        dgram.run()           # the uncaught exception ends run(), as it would end Node
    out.append(f'uncaught {caught.value}')
    dgram.run()               # Node's uncaughtException handler lets the process go on
    assert out == js
    ch.unsubscribe(fails)
    ch.unsubscribe(second)


def test_udp_socket_is_published_by_the_socket_constructor(node: Node) -> None:
    js = node('''
      const dgram = require('dgram'), dc = require('diagnostics_channel');
      const out = [];
      const onSocket = (message, name) => {
        const { socket } = message;
        let running = true;
        try { socket.address(); } catch (e) { running = e.code !== 'ERR_SOCKET_DGRAM_NOT_RUNNING'; }
        out.push({keys: Object.keys(message), name, type: socket.type,
                  isSocket: socket instanceof dgram.Socket,
                  messageListeners: socket.listenerCount('message'), running});
      };
      out.push(dc.hasSubscribers('udp.socket'));
      const quiet = dgram.createSocket('udp4');
      dc.subscribe('udp.socket', onSocket);
      out.push(dc.hasSubscribers('udp.socket'));
      const s4 = dgram.createSocket('udp4', () => {});
      out.push('returned');
      const s6 = new dgram.Socket({type: 'udp6'});
      const aborted = dgram.createSocket({type: 'udp4', signal: AbortSignal.abort()});
      try { dgram.createSocket('udp5'); } catch (e) { out.push(e.code); }
      dc.unsubscribe('udp.socket', onSocket);
      const after = dgram.createSocket('udp4');
      out.push(dc.hasSubscribers('udp.socket'));
      for (const s of [quiet, s4, s6, after]) s.close();
      console.log(JSON.stringify(out));
    ''')
    out: list[Any] = []

    def on_socket(message: Any, name: Any) -> None:
        socket = message['socket']
        try:
            socket.address()
            running = True
        except errors.NodeError as err:
            running = err.code != 'ERR_SOCKET_DGRAM_NOT_RUNNING'
        except OSError:                     # getsockname EBADF: open, not bound
            running = True
        out.append({'keys': list(message), 'name': name, 'type': socket.type,
                    'isSocket': isinstance(socket, dgram.Socket),
                    'messageListeners': socket.listener_count('message'), 'running': running})

    out.append(dc.has_subscribers('udp.socket'))
    quiet = dgram.create_socket('udp4')
    dc.subscribe('udp.socket', on_socket)
    out.append(dc.has_subscribers('udp.socket'))
    s4 = dgram.create_socket('udp4', lambda *a: None)
    out.append('returned')
    s6 = dgram.Socket({'type': 'udp6'})
    controller = dgram.AbortController()
    controller.abort()
    dgram.create_socket({'type': 'udp4', 'signal': controller.signal})
    try:
        dgram.create_socket('udp5')     # type: ignore[arg-type]
    except errors.NodeError as err:
        out.append(err.code)
    dc.unsubscribe('udp.socket', on_socket)
    after = dgram.create_socket('udp4')
    out.append(dc.has_subscribers('udp.socket'))
    for sock in (quiet, s4, s6, after):
        sock.close()
    dgram.run()
    assert out == js
