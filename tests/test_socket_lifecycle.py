"""A Socket's life against Node v23.5.0: ref/unref and the loop, close and
'close', ``with`` and ``async with`` (Node's Symbol.asyncDispose), and the
camelCase names of every public method.

Expected values were settled with the Node oracle (``.cache/node/bin/node``);
the event-order and name tests run JS under it and compare.  Real sockets on
127.0.0.1 and ::1, in-process, on the real loop.
"""

from __future__ import annotations

import asyncio
import re

import pytest
from socket_harness import Node

import dgram_uv as dgram
from dgram_uv import errors
from dgram_uv._binding.udp_wrap import UDP

# --- ref / unref -----------------------------------------------------------------------

@pytest.mark.parametrize(('kind', 'address'), [('udp4', '127.0.0.1'), ('udp6', '::1')])
def test_unref_bound_socket_lets_run_return(kind: str, address: str) -> None:
    sock = dgram.create_socket(kind)
    log: list[str] = []
    sock.bind(0, address, lambda: log.append('listening'))
    assert sock.unref() is sock
    dgram.run()                          # returns: only the unref'd socket is left
    assert log == ['listening']          # the bind still completed (next ticks)
    assert sock.address().address == address      # and the socket is open
    sock.close(lambda: log.append('closed'))
    dgram.run()
    assert log == ['listening', 'closed']


def test_unref_before_bind_survives_the_bind() -> None:
    sock = dgram.create_socket('udp4')
    sock.unref()
    log: list[str] = []
    sock.bind(0, '127.0.0.1', lambda: log.append('listening'))
    dgram.run()
    assert log == ['listening']
    sock.close()
    dgram.run()


def test_ref_restores_keeping_the_loop_alive() -> None:
    # An unref'd timer closes the socket: run() can only reach it if the
    # re-ref'd socket keeps the loop going.
    sock = dgram.create_socket('udp4')
    log: list[str] = []
    sock.bind(0, '127.0.0.1')
    sock.unref()
    assert sock.ref() is sock
    timer = dgram.set_timeout(lambda: (log.append('timer'), sock.close()), 20).unref()
    sock.on('close', lambda: log.append('close'))
    dgram.run()
    dgram.clear_timeout(timer)
    assert log == ['timer', 'close']


def test_without_ref_the_unrefd_timer_never_fires() -> None:
    # The control for the test above.
    sock = dgram.create_socket('udp4')
    log: list[str] = []
    sock.bind(0, '127.0.0.1')
    sock.unref()
    timer = dgram.set_timeout(lambda: log.append('timer'), 20).unref()
    dgram.run()
    dgram.clear_timeout(timer)
    assert log == []
    sock.close()
    dgram.run()


def test_ref_and_unref_are_idempotent_and_chain() -> None:
    sock = dgram.create_socket('udp4')
    assert sock.unref().unref() is sock
    assert sock.ref().ref() is sock
    sock.unref()
    sock.bind(0, '127.0.0.1')
    dgram.run()
    sock.close()
    assert sock.ref() is sock          # after close: Node returns this, does nothing
    assert sock.unref() is sock
    dgram.run()


# --- close ------------------------------------------------------------------------------

JS_CLOSE = '''
const dgram = require('dgram');
const out = [];
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const s = dgram.createSocket('udp4');
s.on('close', (...a) => out.push('close event ' + a.length));
s.bind(0, '127.0.0.1', () => {
  const r = s.close((...a) => out.push('close callback ' + a.length));
  out.push('returned ' + (r === s));
  try { s.close(); } catch (e) { out.push(e.code + ' ' + e.message); }
  s.on('close', () => out.push('late listener'));
  process.nextTick(() => out.push('tick'));
});
const u = dgram.createSocket('udp4');
u.on('close', () => out.push('unbound closed'));
u.close('not a function');
'''


def test_close_matches_node(node: Node) -> None:
    out: list[str] = []
    s = dgram.create_socket('udp4')
    s.on('close', lambda *a: out.append(f'close event {len(a)}'))

    def on_listening() -> None:
        r = s.close(lambda *a: out.append(f'close callback {len(a)}'))
        out.append(f"returned {'true' if r is s else 'false'}")
        try:
            s.close()
        except errors.NodeError as exc:
            out.append(f'{exc.code} {exc}')
        s.on('close', lambda: out.append('late listener'))
        dgram.next_tick(lambda: out.append('tick'))
    s.bind(0, '127.0.0.1', on_listening)
    u = dgram.create_socket('udp4')
    u.on('close', lambda: out.append('unbound closed'))
    u.close('not a function')
    dgram.run()
    expected = node(JS_CLOSE)
    assert 'ERR_SOCKET_DGRAM_NOT_RUNNING Not running' in expected
    assert out == expected


def test_close_event_is_asynchronous_and_once() -> None:
    sock = dgram.create_socket('udp6')
    log: list[str] = []
    sock.on('close', lambda: log.append('close'))
    sock.bind(0, '::1', lambda: (sock.close(lambda: log.append('callback')),
                                 log.append('returned')))
    dgram.run()
    assert log == ['returned', 'close', 'callback']
    dgram.run()
    assert log == ['returned', 'close', 'callback']


def test_close_twice_raises() -> None:
    sock = dgram.create_socket('udp4')
    sock.close()
    with pytest.raises(errors.NodeError) as info:
        sock.close()
    assert info.value.code == 'ERR_SOCKET_DGRAM_NOT_RUNNING'
    assert str(info.value) == 'Not running'
    assert not isinstance(info.value, (TypeError, ValueError, OSError))
    closes: list[str] = []
    sock.on('close', lambda: closes.append('close'))
    dgram.run()
    assert closes == ['close']


def test_close_stops_receiving() -> None:
    # A datagram that arrives after close() is never emitted.
    receiver = dgram.create_socket('udp4')
    sender = dgram.create_socket('udp4')
    got: list[bytes] = []
    receiver.on('message', lambda msg, rinfo: got.append(msg))

    def on_listening() -> None:
        port = receiver.address().port
        sender.send(b'late', port, '127.0.0.1', lambda *_: (receiver.close(), sender.close()))
    receiver.bind(0, '127.0.0.1', on_listening)
    dgram.run()
    assert got == []


def test_close_during_bind(node: Node) -> None:
    js = '''
const dgram = require('dgram');
const out = [];
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const s = dgram.createSocket('udp4');
s.on('listening', () => out.push('listening'));
s.bind(0, '127.0.0.1');
s.close(() => out.push('closed'));
out.push('main end');
'''
    out: list[str] = []
    s = dgram.create_socket('udp4')
    s.on('listening', lambda: out.append('listening'))
    s.bind(0, '127.0.0.1')
    s.close(lambda: out.append('closed'))
    out.append('main end')
    dgram.run()
    assert out == node(js)


def test_second_close_while_a_send_is_queued_throws_later_matches_node(node: Node) -> None:
    # Node queues close() behind the sends made while binding -- a second
    # close() too, which then throws from the 'listening' handler.
    # (One close() in the same state: test_socket_send.py.)
    js = '''
const dgram = require('dgram');
const out = [];
process.on('uncaughtException', (e) => out.push('uncaught ' + e.code));
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const s = dgram.createSocket('udp4');
s.on('close', () => out.push('close'));
s.on('listening', () => out.push('listening'));
s.send('x', 9, '127.0.0.1', () => out.push('send callback'));
s.close(() => out.push('close callback 1'));
try { s.close(() => out.push('close callback 2')); out.push('second close ok'); }
catch (e) { out.push('second close ' + e.code); }
'''
    out: list[str] = []
    s = dgram.create_socket('udp4')
    s.on('close', lambda: out.append('close'))
    s.on('listening', lambda: out.append('listening'))
    s.send('x', 9, '127.0.0.1', lambda *a: out.append('send callback'))
    s.close(lambda: out.append('close callback 1'))
    try:
        s.close(lambda: out.append('close callback 2'))
        out.append('second close ok')
    except errors.NodeError as exc:
        out.append(f'second close {exc.code}')
    for _ in range(5):               # run() again after each uncaught exception
        try:
            dgram.run()
            break
        except errors.NodeError as exc:
            out.append(f'uncaught {exc.code}')
    expected = node(js)
    assert 'uncaught ERR_SOCKET_DGRAM_NOT_RUNNING' in expected
    assert out == expected


# --- with / async with ------------------------------------------------------------------

def test_with_closes() -> None:
    log: list[str] = []
    with dgram.create_socket('udp4') as sock:
        assert isinstance(sock, dgram.Socket)
        sock.on('close', lambda: log.append('close'))
        sock.bind(0, '127.0.0.1')
    with pytest.raises(errors.ERR_SOCKET_DGRAM_NOT_RUNNING):
        sock.address()
    assert log == []                 # 'close' comes on the next tick
    dgram.run()
    assert log == ['close']


def test_with_closes_on_exception_and_tolerates_a_closed_socket() -> None:
    log: list[str] = []
    with pytest.raises(KeyError):
        with dgram.create_socket('udp4') as sock:
            sock.on('close', lambda: log.append('close'))
            raise KeyError('boom')
    with dgram.create_socket('udp4') as other:
        other.on('close', lambda: log.append('other close'))
        other.close()                # closed inside: leaving the block does not raise
    dgram.run()
    assert sorted(log) == ['close', 'other close']


async def _use_async_with(log: list[str]) -> dgram.Socket:
    async with dgram.create_socket('udp4') as sock:
        sock.on('close', lambda: log.append('close'))
        sock.bind(0, '127.0.0.1', lambda: log.append('listening'))
        log.append('body')
    log.append('after')
    return sock


def test_async_with_driven_by_send() -> None:
    # Stepped by hand (no asyncio): the exit waits for 'close', which the loop emits.
    log: list[str] = []
    coro = _use_async_with(log)
    waiting = coro.send(None)
    assert log == ['body']
    resumed: list[object] = []
    waiting.add_done_callback(resumed.append)
    dgram.run()
    assert log == ['body', 'close'] and resumed == [waiting]  # closed before the bind completed
    with pytest.raises(StopIteration) as info:
        coro.send(None)
    assert log == ['body', 'close', 'after']
    with pytest.raises(errors.ERR_SOCKET_DGRAM_NOT_RUNNING):
        info.value.value.address()


def test_async_with_under_asyncio() -> None:
    # The exit drives the uv loop from asyncio until 'close' (dgram_uv.aio).
    log: list[str] = []
    sock = asyncio.run(_use_async_with(log))
    assert log == ['body', 'close', 'after']
    with pytest.raises(errors.ERR_SOCKET_DGRAM_NOT_RUNNING):
        sock.close()


def test_aexit_of_a_closed_socket_does_nothing() -> None:
    sock = dgram.create_socket('udp4')
    sock.close()
    coro = sock.__aexit__(None, None, None)
    with pytest.raises(StopIteration):
        coro.send(None)
    closes: list[str] = []
    sock.on('close', lambda: closes.append('close'))
    dgram.run()
    assert closes == ['close']


# --- camelCase names ----------------------------------------------------------------------

def snake(name: str) -> str:
    """Node's camelCase name as Python's snake_case: setMulticastTTL -> set_multicast_ttl."""
    return re.sub(r'(?<=[a-z])(?=[A-Z])', '_', name).lower()


SNAKE_METHODS = [
    'add_membership', 'add_source_specific_membership', 'address', 'bind', 'close', 'connect',
    'disconnect', 'drop_membership', 'drop_source_specific_membership',
    'get_recv_buffer_size', 'get_send_buffer_size', 'get_send_queue_size',
    'get_send_queue_count', 'ref', 'remote_address', 'send', 'set_broadcast',
    'set_multicast_interface', 'set_multicast_loopback', 'set_multicast_ttl',
    'set_recv_buffer_size', 'set_send_buffer_size', 'set_ttl', 'unref',
]


def test_snake_helper() -> None:
    assert snake('setMulticastTTL') == 'set_multicast_ttl'
    assert snake('setTTL') == 'set_ttl'
    assert snake('addSourceSpecificMembership') == 'add_source_specific_membership'


def test_every_node_socket_method_has_both_names(node: Node) -> None:
    names = node('''
const dgram = require('dgram');
const EventEmitter = require('events');
process.stdout.write(JSON.stringify({
  socket: Object.getOwnPropertyNames(dgram.Socket.prototype),
  emitter: Object.getOwnPropertyNames(EventEmitter.prototype),
  module: Object.keys(dgram),
}));''')
    public = [n for n in names['socket'] if not n.startswith('_') and n != 'constructor']
    assert 'setMulticastTTL' in public and len(public) == 25
    assert sorted(snake(n) for n in public if n != 'sendto') == sorted(SNAKE_METHODS)
    for camel in public + [n for n in names['emitter']
                           if not n.startswith('_') and n != 'constructor']:
        assert hasattr(dgram.Socket, camel), camel
        assert getattr(dgram.Socket, camel) is getattr(dgram.Socket, snake(camel)), camel
    for exported in names['module']:
        assert hasattr(dgram, exported), exported


@pytest.mark.parametrize('name', SNAKE_METHODS)
def test_camel_alias_is_the_same_function(name: str) -> None:
    camel = re.sub(r'_([a-z])', lambda m: m.group(1).upper(), name)
    camel = camel.replace('Ttl', 'TTL')
    assert getattr(dgram.Socket, camel) is getattr(dgram.Socket, name)
    sock = dgram.create_socket('udp4')
    try:
        assert getattr(sock, camel) == getattr(sock, name)     # bound methods
    finally:
        sock.close()
        dgram.run()


def test_handle_has_ref_until_its_close_callback(node: Node) -> None:
    # Node's HandleWrap::HasRef: true while closing, false once the close callback ran.
    js = '''
const { internalBinding } = require('internal/test/binding');
const { UDP } = internalBinding('udp_wrap');
const h = new UDP();
const out = [h.hasRef()];
h.close(() => { out.push(h.hasRef()); console.log(JSON.stringify(out)); });
out.push(h.hasRef());
'''
    expected = node(js, '--expose-internals', '--no-warnings')
    handle = UDP()
    seen = [handle.has_ref()]
    handle.close(lambda: seen.append(handle.has_ref()))
    seen.append(handle.has_ref())
    dgram.run()
    assert expected == seen == [True, True, False]
