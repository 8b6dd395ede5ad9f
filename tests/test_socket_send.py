"""Socket.send and 'message' against Node v23.5.0: the twelve argument forms,
the message types, Node's errors, the send callback, implicit bind and the
send queue, block lists, and what the receiver gets.

Expected values were settled with the Node oracle (``.cache/node/bin/node``);
the event-order tests run their JS twin under it.  Real sockets on 127.0.0.1
and ::1, in-process, on the real loop.
"""

from __future__ import annotations

import errno
from array import array
from collections.abc import Callable
from typing import Any

import pytest
from socket_harness import FAMILY, LOOPBACK, Harness, Node

import dgram_uv as dgram
from dgram_uv import errors


def receive(h: Harness, kind: str, count: int, then: Callable[[int], Any],
            **options: Any) -> list[tuple[bytes, Any]]:
    """A receiver on the loopback address that takes ``count`` datagrams, then
    closes every socket of the test; ``then(port)`` runs once it listens."""
    got: list[tuple[bytes, Any]] = []
    receiver = h.socket(type=kind, **options)

    def on_message(msg: bytes, rinfo: Any) -> None:
        got.append((msg, rinfo))
        if len(got) == count:
            h.close_all()
    receiver.on('message', on_message)
    receiver.bind(0, LOOPBACK[kind], lambda: then(receiver.address().port))
    return got


# --- the twelve forms -----------------------------------------------------------------

# Not connected: (form, send call given (socket, port, address, callback), sent, callback?)
UNCONNECTED_FORMS: list[tuple[str, Callable[..., Any], bytes, bool]] = [
    ('send(msg, port, address)', lambda s, p, a, cb: s.send('m1', p, a), b'm1', False),
    ('send(msg, port, address, cb)', lambda s, p, a, cb: s.send('m2', p, a, cb), b'm2', True),
    ('send(msg, offset, length, port, address)',
     lambda s, p, a, cb: s.send('xxm3yy', 2, 2, p, a), b'm3', False),
    ('send(msg, offset, length, port, address, cb)',
     lambda s, p, a, cb: s.send('xxm4yy', 2, 2, p, a, cb), b'm4', True),
    ('send(msg, port)', lambda s, p, a, cb: s.send('m5', p), b'm5', False),
    ('send(msg, port, cb)', lambda s, p, a, cb: s.send('m6', p, cb), b'm6', True),
    ('send(msg, offset, length, port)', lambda s, p, a, cb: s.send('xxm7yy', 2, 2, p),
     b'm7', False),
    ('send(msg, offset, length, port, cb)',
     lambda s, p, a, cb: s.send('xxm8yy', 2, 2, p, cb), b'm8', True),
    # Keywords name Node's positions.
    ('send(msg, offset=, length=, port=, address=)',
     lambda s, p, a, cb: s.send(b'xk2', offset=1, length=2, port=p, address=a), b'k2', False),
]
# Connected: (form, send call given (socket, callback), sent, callback?)
CONNECTED_FORMS: list[tuple[str, Callable[..., Any], bytes, bool]] = [
    ('send(msg)', lambda s, cb: s.send('c9'), b'c9', False),
    ('send(msg, cb)', lambda s, cb: s.send('c10', cb), b'c10', True),
    ('send(msg, offset, length)', lambda s, cb: s.send('xxc11yy', 2, 3), b'c11', False),
    ('send(msg, offset, length, cb)', lambda s, cb: s.send('xxc12yy', 2, 3, cb), b'c12', True),
]


@pytest.mark.parametrize('kind', ['udp4', 'udp6'])
@pytest.mark.parametrize(('call', 'sent', 'with_callback'),
                         [case[1:] for case in UNCONNECTED_FORMS],
                         ids=[case[0] for case in UNCONNECTED_FORMS])
def test_unconnected_send_forms(h: Harness, kind: str, call: Callable[..., Any], sent: bytes,
                                with_callback: bool) -> None:
    sender = h.socket(kind)
    log: list[Any] = []

    def then(port: int) -> None:
        call(sender, port, LOOPBACK[kind], lambda *args: log.append(('callback', args)))
        log.append('returned')
    got = receive(h, kind, 1, then)
    h.run()
    assert [msg for msg, _ in got] == [sent]
    assert got[0][1].address == LOOPBACK[kind]      # the default address is the loopback
    expected = ['returned'] + ([('callback', (None, len(sent)))] if with_callback else [])
    assert log == expected


@pytest.mark.parametrize('kind', ['udp4', 'udp6'])
@pytest.mark.parametrize(('call', 'sent', 'with_callback'),
                         [case[1:] for case in CONNECTED_FORMS],
                         ids=[case[0] for case in CONNECTED_FORMS])
def test_connected_send_forms(h: Harness, kind: str, call: Callable[..., Any], sent: bytes,
                              with_callback: bool) -> None:
    sender = h.socket(kind)
    log: list[Any] = []

    def then(port: int) -> None:
        def on_connect() -> None:
            call(sender, lambda *args: log.append(('callback', args)))
            log.append('returned')
        sender.connect(port, LOOPBACK[kind], on_connect)
    got = receive(h, kind, 1, then)
    h.run()
    assert [msg for msg, _ in got] == [sent]
    expected = ['returned'] + ([('callback', (None, len(sent)))] if with_callback else [])
    assert log == expected


def test_the_twelve_forms_in_one_run_match_node(node: Node) -> None:
    js = '''
const dgram = require('dgram');
const out = [];
const log = (...a) => out.push(a.map(String).join(' '));
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const r = dgram.createSocket('udp4');
let n = 0;
r.on('message', (m, ri) => {
  log('msg', m, ri.size, ri.family, ri.address);
  if (++n === 12) r.close();
});
r.bind(0, '127.0.0.1', () => {
  const P = r.address().port;
  const s = dgram.createSocket('udp4');
  const cb = (tag) => (...a) => log('cb', tag, a.length, a[0], a[1]);
  s.send('f1', P, '127.0.0.1');
  s.send('f2', P, '127.0.0.1', cb('f2'));
  s.send('xxf3yy', 2, 2, P, '127.0.0.1');
  s.send('xxf4yy', 2, 2, P, '127.0.0.1', cb('f4'));
  s.send('f5', P);
  s.send('f6', P, cb('f6'));
  s.send('xxf7yy', 2, 2, P);
  s.send('xxf8yy', 2, 2, P, (...a) => { cb('f8')(...a); s.close(); });
  log('sync end');
  const c = dgram.createSocket('udp4');
  c.connect(P, '127.0.0.1', () => {
    c.send('c9');
    c.send('c10', cb('c10'));
    c.send('xxc11yy', 2, 3);
    c.send('xxc12yy', 2, 3, (...a) => { cb('c12')(...a); c.close(); });
  });
});
'''
    out: list[str] = []

    def log(*args: Any) -> None:
        out.append(' '.join('null' if a is None else a.decode() if isinstance(a, bytes)
                            else str(a) for a in args))
    h = Harness()
    r = h.socket('udp4')
    count = [0]

    def on_message(m: bytes, ri: Any) -> None:
        log('msg', m, ri.size, ri.family, ri.address)
        count[0] += 1
        if count[0] == 12:
            r.close()
    r.on('message', on_message)

    def cb(tag: str) -> Callable[..., None]:
        return lambda *a: log('cb', tag, len(a), a[0], a[1])

    def on_listening() -> None:
        port = r.address().port
        s = h.socket('udp4')
        s.send('f1', port, '127.0.0.1')
        s.send('f2', port, '127.0.0.1', cb('f2'))
        s.send('xxf3yy', 2, 2, port, '127.0.0.1')
        s.send('xxf4yy', 2, 2, port, '127.0.0.1', cb('f4'))
        s.send('f5', port)
        s.send('f6', port, cb('f6'))
        s.send('xxf7yy', 2, 2, port)
        s.send('xxf8yy', 2, 2, port, lambda *a: (cb('f8')(*a), s.close()))
        log('sync end')
        c = h.socket('udp4')

        def on_connect() -> None:
            c.send('c9')
            c.send('c10', cb('c10'))
            c.send('xxc11yy', 2, 3)
            c.send('xxc12yy', 2, 3, lambda *a: (cb('c12')(*a), c.close()))
        c.connect(port, '127.0.0.1', on_connect)
    r.bind(0, '127.0.0.1', on_listening)
    h.run()
    expected = node(js)
    assert len(expected) == 12 + 6 + 1
    assert out == expected


# --- what a message may be --------------------------------------------------------------

INTS = array('i', [1, -2, 0x01020304])
PAYLOADS: list[tuple[str, Any, bytes]] = [
    ('str', 'héllo wörld €', 'héllo wörld €'.encode()),
    ('bytes', b'\x00bytes\xff', b'\x00bytes\xff'),
    ('bytearray', bytearray(b'a bytearray'), b'a bytearray'),
    ('memoryview', memoryview(b'a memoryview'), b'a memoryview'),
    ('memoryview slice', memoryview(bytearray(b'0123456789'))[2:5], b'234'),
    ('memoryview of int array', memoryview(INTS), INTS.tobytes()),
    ('list', [b'a', 'b', bytearray(b'c'), memoryview(b'd'), 'é'], b'abcd' + 'é'.encode()),
    ('tuple', (b'x', 'y'), b'xy'),
    ('list with int array', [memoryview(INTS), 'z'], INTS.tobytes() + b'z'),
    ('list of one', ['only'], b'only'),
    ('empty str', '', b''),
    ('empty bytes', b'', b''),
    ('empty list', [], b''),
    ('list of empties', [b'', '', bytearray()], b''),
]


@pytest.mark.parametrize('kind', ['udp4', 'udp6'])
@pytest.mark.parametrize(('payload', 'expected'), [case[1:] for case in PAYLOADS],
                         ids=[case[0] for case in PAYLOADS])
def test_message_types_are_one_datagram(h: Harness, kind: str, payload: Any,
                                        expected: bytes) -> None:
    sender = h.socket(kind)
    results: list[Any] = []
    got = receive(h, kind, 1, lambda port: sender.send(
        payload, port, LOOPBACK[kind], lambda *args: results.append(args)))
    h.run()
    assert len(got) == 1
    msg, rinfo = got[0]
    assert type(msg) is bytes
    assert msg == expected
    assert rinfo.size == len(expected)
    assert results == [(None, len(expected))]


@pytest.mark.parametrize(('payload', 'offset', 'length', 'expected'), [
    (b'0123456789', 3, 4, b'3456'),
    (bytearray(b'0123456789'), 0, 10, b'0123456789'),
    (b'0123456789', 10, 0, b''),
    ('héllo', 1, 2, 'é'.encode()),                    # byte offsets into the UTF-8
    (memoryview(INTS), 4, 4, INTS[1:2].tobytes()),       # byte offsets, not items
    (memoryview(b'0123456789')[5:], 1, 2, b'67'),
])
def test_offset_and_length(h: Harness, payload: Any, offset: int, length: int,
                           expected: bytes) -> None:
    sender = h.socket('udp4')
    results: list[Any] = []
    got = receive(h, 'udp4', 1, lambda port: sender.send(
        payload, offset, length, port, '127.0.0.1', lambda *args: results.append(args)))
    h.run()
    assert [msg for msg, _ in got] == [expected]
    assert results == [(None, len(expected))]


def test_what_send_copies_matches_node(node: Node) -> None:
    # Node copies the list of buffers when send() is called, not their bytes:
    # the bytes are read when the datagram goes out, after the address lookup
    # (next tick).  The callback comes after a tick queued right after send().
    js = '''
const dgram = require('dgram');
const out = [];
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const r = dgram.createSocket('udp4');
let n = 0;
r.on('message', (m) => { out.push('msg ' + m); if (++n === 3) { r.close(); s.close(); } });
const s = dgram.createSocket('udp4');
r.bind(0, '127.0.0.1', () => {
  const P = r.address().port;
  const data = Buffer.from('before');
  s.send(data, P, '127.0.0.1');
  data.write('AFTER!');
  const list = [Buffer.from('hello'), Buffer.from('world')];
  s.send(list, P, '127.0.0.1');
  list.splice(1);
  s.send(Buffer.from('abc'), P, '127.0.0.1', (e, n) => out.push('cb ' + n));
  process.nextTick(() => out.push('tick queued after send'));
  out.push('returned');
});
'''
    out: list[str] = []
    h = Harness()
    r = h.socket('udp4')
    s = h.socket('udp4')

    def on_message(msg: bytes, rinfo: Any) -> None:
        out.append(f'msg {msg.decode()}')
        if len([x for x in out if x.startswith('msg')]) == 3:
            r.close()
            s.close()
    r.on('message', on_message)

    def on_listening() -> None:
        port = r.address().port
        data = bytearray(b'before')
        s.send(data, port, '127.0.0.1')
        data[:] = b'AFTER!'
        buffers = [b'hello', b'world']
        s.send(buffers, port, '127.0.0.1')
        del buffers[1:]
        s.send(b'abc', port, '127.0.0.1', lambda err, n: out.append(f'cb {n}'))
        dgram.next_tick(lambda: out.append('tick queued after send'))
        out.append('returned')
    r.bind(0, '127.0.0.1', on_listening)
    h.run()
    expected = node(js)
    assert 'msg helloworld' in expected
    assert out == expected


@pytest.mark.parametrize(('args', 'name'), [
    ((b'abc', 4, 0), 'offset'),
    ((b'abc', 1, 3), 'length'),
    ((b'abc', 0, 4), 'length'),
    (('abc', 4, 0), 'offset'),
    (('é', 1, 2), 'length'),                      # 'é' is two bytes
    ((b'abc', -1, 1), 'offset'),                  # -1 >>> 0 is 4294967295
    ((memoryview(array('i', [7])), 2, 4), 'length'),
])
def test_buffer_out_of_bounds(args: tuple[Any, ...], name: str) -> None:
    sock = dgram.create_socket('udp4')
    with pytest.raises(ValueError) as info:
        sock.send(*args, 1234, '127.0.0.1')
    assert getattr(info.value, 'code', None) == 'ERR_BUFFER_OUT_OF_BOUNDS'
    assert isinstance(info.value, errors.NodeError)
    assert str(info.value) == f'"{name}" is outside of buffer bounds'
    sock.close()       # nothing was sent: the socket is still unbound
    dgram.run()


def test_buffer_out_of_bounds_when_connected(h: Harness) -> None:
    sender = h.socket('udp4')
    caught: list[Any] = []

    def then(port: int) -> None:
        def on_connect() -> None:
            with pytest.raises(errors.ERR_BUFFER_OUT_OF_BOUNDS) as info:
                sender.send(b'abc', 2, 2)
            caught.append(str(info.value))
            sender.send(b'ok')
        sender.connect(port, '127.0.0.1', on_connect)
    got = receive(h, 'udp4', 1, then)
    h.run()
    assert caught == ['"length" is outside of buffer bounds']
    assert [msg for msg, _ in got] == [b'ok']


@pytest.mark.parametrize('bad', [5, 1.5, None, True, {'a': 1}, object()])
def test_bad_message_type(bad: Any) -> None:
    sock = dgram.create_socket('udp4')
    with pytest.raises(TypeError) as info:
        sock.send(bad, 1234, '127.0.0.1')
    assert getattr(info.value, 'code', None) == 'ERR_INVALID_ARG_TYPE'
    assert str(info.value).startswith(
        'The "buffer" argument must be of type string or an instance of Buffer, TypedArray, '
        'or DataView. Received')
    with pytest.raises(TypeError) as info:
        sock.send([b'ok', bad], 1234, '127.0.0.1')
    assert getattr(info.value, 'code', None) == 'ERR_INVALID_ARG_TYPE'
    assert str(info.value).startswith('The "buffer list arguments" argument must be of type '
                                      'string or an instance of Buffer, TypedArray, or DataView.')
    sock.close()
    dgram.run()


@pytest.mark.parametrize('bad', [5, b'127.0.0.1', ['127.0.0.1']])
def test_bad_address_type(bad: Any) -> None:
    sock = dgram.create_socket('udp4')
    with pytest.raises(TypeError) as info:
        sock.send(b'x', 1234, bad)
    assert getattr(info.value, 'code', None) == 'ERR_INVALID_ARG_TYPE'
    assert str(info.value).startswith('The "address" argument must be of type string.')
    sock.close()
    dgram.run()


# --- ports --------------------------------------------------------------------------

@pytest.mark.parametrize('bad', [0, 65536, -1, 1.5, True, False, None, 'x', '', ' ',
                                 float('nan'), float('inf'), 2 ** 53])
def test_bad_port(bad: Any) -> None:
    sock = dgram.create_socket('udp4')
    with pytest.raises(ValueError) as info:
        sock.send(b'x', bad, '127.0.0.1')
    assert getattr(info.value, 'code', None) == 'ERR_SOCKET_BAD_PORT'
    assert isinstance(info.value, errors.NodeError)
    assert str(info.value).startswith('Port should be > 0 and < 65536. Received ')
    with pytest.raises(errors.ERR_SOCKET_BAD_PORT):
        sock.send(b'x', 0, 1, bad, '127.0.0.1')
    sock.close()
    dgram.run()


@pytest.mark.parametrize('as_text', [str, lambda port: f' {port} ', lambda port: f'{port}.0'])
def test_numeric_string_port_is_accepted(h: Harness, as_text: Callable[[int], str]) -> None:
    sender = h.socket('udp4')
    results: list[Any] = []
    got = receive(h, 'udp4', 1, lambda port: sender.send(
        b'by string', as_text(port), '127.0.0.1', lambda *args: results.append(args)))
    h.run()
    assert [msg for msg, _ in got] == [b'by string']
    assert results == [(None, 9)]


# --- the callback and errors ----------------------------------------------------------

@pytest.mark.parametrize('kind', ['udp4', 'udp6'])
def test_emsgsize_goes_to_the_callback(h: Harness, kind: str) -> None:
    sock = h.socket(kind)
    address = LOOPBACK[kind]
    results: list[Any] = []
    errors_emitted: list[Any] = []
    sock.on('error', errors_emitted.append)

    def on_listening() -> None:
        sock.send(bytes(70000), sock.address().port, address,
                  lambda *args: (results.append(args), sock.close()))
        results.append('returned')
    sock.bind(0, address, on_listening)
    h.run()
    assert errors_emitted == []
    assert results[0] == 'returned'
    assert len(results) == 2
    assert len(results[1]) == 1                      # Node calls back with (err) only
    err = results[1][0]
    assert isinstance(err, OSError)
    assert str(err) == f'send EMSGSIZE {address}:{err.port}'
    assert err.errno == errno.EMSGSIZE
    assert err.code == 'EMSGSIZE'
    assert err.syscall == 'send'
    assert err.address == address
    assert isinstance(err.port, int) and err.port > 0


@pytest.mark.parametrize(('kind', 'largest'), [('udp4', 65507), ('udp6', 65527)])
def test_largest_datagram_and_one_byte_more(h: Harness, kind: str, largest: int) -> None:
    # The largest UDP payload goes through whole; one byte more is EMSGSIZE.
    sock = h.socket(kind)
    address = LOOPBACK[kind]
    got: list[Any] = []
    results: list[Any] = []
    sock.on('message', lambda msg, rinfo: (got.append((len(msg), rinfo.size, msg[-1])),
                                           sock.close()))

    def on_listening() -> None:
        port = sock.address().port
        sock.send(bytes(largest + 1), port, address, lambda *args: results.append(
            getattr(args[0], 'code', None)))
        sock.send(b'\x07' * largest, port, address, lambda *args: results.append(args))
    sock.bind(0, address, on_listening)
    h.run()
    assert results == ['EMSGSIZE', (None, largest)]
    assert got == [(largest, largest, 7)]


def test_emsgsize_port_is_the_destination(h: Harness) -> None:
    sender = h.socket('udp4')
    results: list[Any] = []

    def then(port: int) -> None:
        sender.send(bytes(70000), port, '127.0.0.1',
                    lambda *args: (results.append((port, args)), h.close_all()))
    receive(h, 'udp4', 1, then)
    h.run()
    assert len(results) == 1
    port, args = results[0]
    assert str(args[0]) == f'send EMSGSIZE 127.0.0.1:{port}'
    assert args[0].port == port


def test_emsgsize_without_callback_is_not_emitted(h: Harness, node: Node) -> None:
    # Node: with no callback a failed send is silent (no 'error').
    js = '''
const dgram = require('dgram');
const out = [];
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const s = dgram.createSocket('udp4');
s.on('error', (e) => out.push('error ' + e.message));
s.on('message', (m) => { out.push('message ' + m); s.close(); });
s.bind(0, '127.0.0.1', () => {
  s.send(Buffer.alloc(70000), s.address().port, '127.0.0.1');
  s.send('after', s.address().port, '127.0.0.1');
});
'''
    out: list[str] = []
    sock = h.socket('udp4')
    sock.on('error', lambda err: out.append(f'error {err}'))
    sock.on('message', lambda msg, rinfo: (out.append(f'message {msg.decode()}'),
                                           sock.close()))

    def on_listening() -> None:
        sock.send(bytes(70000), sock.address().port, '127.0.0.1')
        sock.send('after', sock.address().port, '127.0.0.1')
    sock.bind(0, '127.0.0.1', on_listening)
    h.run()
    assert out == node(js) == ['message after']


def test_callback_is_asynchronous(h: Harness) -> None:
    sender = h.socket('udp4')
    log: list[Any] = []

    def then(port: int) -> None:
        sender.send(b'abc', port, '127.0.0.1', lambda *args: log.append(args))
        dgram.next_tick(lambda: log.append('tick queued after send'))
        log.append('returned')
    receive(h, 'udp4', 1, then)
    h.run()
    # Node: the lookup of the IP completes on a next tick, then try_send, then
    # process.nextTick(callback, null, 3): after the tick queued by the caller.
    assert log == ['returned', 'tick queued after send', (None, 3)]


def test_send_after_close(h: Harness) -> None:
    sock = h.socket('udp4')
    sock.close()
    with pytest.raises(errors.ERR_SOCKET_DGRAM_NOT_RUNNING):
        sock.send(b'x', 1234, '127.0.0.1')
    # Argument errors come first, as in Node.
    with pytest.raises(errors.ERR_SOCKET_BAD_PORT):
        sock.send(b'x', 0, '127.0.0.1')
    h.run()


@pytest.mark.parametrize('with_callback', [True, False])
def test_lookup_error_in_send(h: Harness, with_callback: bool) -> None:
    # Node: a failed lookup goes to the callback, else to 'error' (next tick).
    failure = OSError('no such host')

    def lookup(host: str, family: int, cb: Callable[..., Any]) -> None:
        if host == 'bad':
            dgram.set_immediate(cb, failure)
        else:
            dgram.set_immediate(cb, None, '127.0.0.1', 4)
    sock = h.socket(type='udp4', lookup=lookup)
    log: list[Any] = []
    sock.on('error', lambda err: (log.append(('error', err)), sock.close()))

    def on_listening() -> None:
        if with_callback:
            sock.send(b'x', 9, 'bad', lambda *args: (log.append(('callback', args)),
                                                     sock.close()))
        else:
            sock.send(b'x', 9, 'bad')
    sock.bind(0, '127.0.0.1', on_listening)
    h.run()
    if with_callback:
        assert log == [('callback', (failure,))]
    else:
        assert log == [('error', failure)]


def test_hostname_and_family_mismatch_match_node(node: Node) -> None:
    # 'localhost' resolves through getaddrinfo (/etc/hosts) for the socket's
    # family; an IPv4 literal on a udp6 socket fails in uv_udp_send: EINVAL to
    # the callback, with (err) only.
    js = '''
const dgram = require('dgram');
const out = [];
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const r = dgram.createSocket('udp4');
r.on('message', (m, ri) => { out.push('got ' + m + ' ' + ri.address); r.close(); });
r.bind(0, 'localhost', () => {
  out.push('bound ' + r.address().address);
  const s6 = dgram.createSocket('udp6');
  s6.send('x', r.address().port, '127.0.0.1', (e, ...rest) => {
    out.push(['v6->v4', e.code, e.message === 'send EINVAL 127.0.0.1:' + r.address().port,
              rest.length].join(' '));
    s6.close();
    const s = dgram.createSocket('udp4');
    s.send('via localhost', r.address().port, 'localhost', (e, n) => {
      out.push('cb ' + e + ' ' + n); s.close();
    });
  });
});
'''
    out: list[str] = []
    h = Harness()
    r = h.socket('udp4')
    r.on('message', lambda m, ri: (out.append(f'got {m.decode()} {ri.address}'), r.close()))

    def on_listening() -> None:
        out.append('bound ' + r.address().address)
        port = r.address().port
        s6 = h.socket('udp6')

        def on_v6(e: Any, *rest: Any) -> None:
            same = 'true' if str(e) == f'send EINVAL 127.0.0.1:{port}' else 'false'
            out.append(f'v6->v4 {e.code} {same} {len(rest)}')
            s6.close()
            s = h.socket('udp4')
            s.send('via localhost', port, 'localhost',
                   lambda e, n: (out.append(f"cb {'null' if e is None else e} {n}"), s.close()))
        s6.send('x', port, '127.0.0.1', on_v6)
    r.bind(0, 'localhost', on_listening)
    h.run()
    expected = node(js)
    assert expected == ['bound 127.0.0.1', 'v6->v4 EINVAL true 0', 'cb null 13',
                        'got via localhost 127.0.0.1']
    assert out == expected


# --- implicit bind and the send queue ---------------------------------------------------

@pytest.mark.parametrize(('kind', 'wildcard'), [('udp4', '0.0.0.0'), ('udp6', '::')])
def test_send_before_bind_binds_implicitly(h: Harness, kind: str, wildcard: str) -> None:
    sender = h.socket(kind)
    log: list[Any] = []
    sender.on('listening', lambda: log.append(('listening', sender.address().address,
                                               sender.address().port)))

    def then(port: int) -> None:
        sender.send(b'implicit', port, LOOPBACK[kind], lambda *args: log.append(args))
        log.append('returned')
    got = receive(h, kind, 1, then)
    h.run()
    assert log[0] == 'returned'
    assert log[1][:2] == ('listening', wildcard)
    assert log[2] == (None, 8)
    assert len(log) == 3
    msg, rinfo = got[0]
    assert msg == b'implicit'
    assert rinfo.port == log[1][2]
    assert rinfo.address == LOOPBACK[kind]


def test_sends_queued_while_binding_are_delivered_in_order(h: Harness) -> None:
    sender = h.socket('udp4')
    count = 20
    callbacks: list[Any] = []

    def then(port: int) -> None:
        for i in range(count):
            sender.send(f'm{i}', port, '127.0.0.1', lambda *args, i=i: callbacks.append(i))
    got = receive(h, 'udp4', count, then)
    h.run()
    assert [msg for msg, _ in got] == [f'm{i}'.encode() for i in range(count)]
    assert callbacks == list(range(count))


def test_sends_queued_during_explicit_bind(h: Harness) -> None:
    sender = h.socket('udp4')
    log: list[Any] = []

    def then(port: int) -> None:
        sender.bind(0, '127.0.0.1', lambda: log.append('bound'))
        sender.send(b'one', port, '127.0.0.1', lambda *args: log.append(('one', args)))
        sender.send(b'two', port, '127.0.0.1', lambda *args: log.append(('two', args)))
        log.append('returned')
    got = receive(h, 'udp4', 2, then)
    h.run()
    assert [msg for msg, _ in got] == [b'one', b'two']
    assert log == ['returned', 'bound', ('one', (None, 3)), ('two', (None, 3))]


def test_close_while_a_send_is_queued_skips_the_send_callback_matches_node(node: Node) -> None:
    # One close() made while a send waits for the implicit bind: 'listening',
    # then the close; the send callback is never called.  (A second close()
    # in the same state: test_socket_lifecycle.py.)
    js = '''
const dgram = require('dgram');
const out = [];
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const s = dgram.createSocket('udp4');
s.on('listening', () => out.push('listening'));
s.send('x', 9, '127.0.0.1', (e, n) => out.push('send callback'));
s.close(() => out.push('closed'));
out.push('main end');
'''
    out: list[str] = []
    s = dgram.create_socket('udp4')
    s.on('listening', lambda: out.append('listening'))
    s.send('x', 9, '127.0.0.1', lambda *args: out.append('send callback'))
    s.close(lambda: out.append('closed'))
    out.append('main end')
    dgram.run()
    assert out == node(js)
    assert 'closed' in out


# --- block lists -------------------------------------------------------------------------

@pytest.mark.parametrize(('kind', 'family'), [('udp4', 'ipv4'), ('udp6', 'ipv6')])
def test_send_block_list_to_the_callback(h: Harness, kind: str, family: str) -> None:
    blocked = dgram.BlockList()
    blocked.add_address(LOOPBACK[kind], family)
    sender = h.socket(type=kind, send_block_list=blocked)
    results: list[Any] = []
    sender.on('error', lambda err: results.append(('error', err)))
    sender.send(b'x', 9, LOOPBACK[kind], lambda *args: (results.append(args), sender.close()))
    results.append('returned')
    h.run()
    assert results[0] == 'returned'
    assert len(results) == 2
    assert len(results[1]) == 1                        # (err) only
    err = results[1][0]
    assert isinstance(err, errors.NodeError)
    assert not isinstance(err, OSError)
    assert err.code == 'ERR_IP_BLOCKED'
    assert str(err) == f'IP({LOOPBACK[kind]}) is blocked by net.BlockList'


def test_send_block_list_subnet_and_connected_socket(h: Harness) -> None:
    blocked = dgram.BlockList()
    blocked.add_subnet('127.0.0.0', 8)
    sender = h.socket(type='udp4', send_block_list=blocked)
    results: list[Any] = []

    def on_connect(*args: Any) -> None:
        results.append(('connect', [getattr(a, 'code', a) for a in args]))
        sender.close()
    sender.connect(9, '127.0.0.1', on_connect)
    h.run()
    # Node checks the send block list at connect too: the callback gets the error.
    assert results == [('connect', ['ERR_IP_BLOCKED'])]


def test_send_block_list_without_callback_drops_silently(h: Harness) -> None:
    blocked = dgram.BlockList()
    blocked.add_address('127.0.0.2')
    sender = h.socket(type='udp4', send_block_list=blocked)
    probe = h.socket('udp4')
    target = h.socket('udp4')                  # on 127.0.0.2, the blocked address
    seen: list[Any] = []
    sender.on('error', lambda err: seen.append(('error', err)))

    def on_message(msg: bytes, rinfo: Any) -> None:
        # The blocked datagram would have been queued before the probe's.
        seen.append(msg)
        h.close_all()
    target.on('message', on_message)

    def on_target() -> None:
        port = target.address().port
        sender.send(b'blocked', port, '127.0.0.2')
        # The lookup of an IP completes on the next tick: probe after that.
        dgram.set_immediate(lambda: probe.send(b'probe', port, '127.0.0.2'))
    target.bind(0, '127.0.0.2', on_target)
    h.run()
    assert seen == [b'probe']


def test_receive_block_list_drops_blocked_senders(h: Harness) -> None:
    blocked = dgram.BlockList()
    blocked.add_address('127.0.0.2')
    receiver = h.socket(type='udp4', receive_block_list=blocked)
    from_two = h.socket('udp4')
    from_one = h.socket('udp4')
    got: list[Any] = []

    def on_message(msg: bytes, rinfo: Any) -> None:
        got.append((msg, rinfo.address))
        h.close_all()
    receiver.on('message', on_message)

    def on_listening() -> None:
        port = receiver.address().port
        from_two.bind(0, '127.0.0.2', lambda: from_two.send(
            b'dropped', port, '127.0.0.1',
            lambda *_: from_one.send(b'kept', port, '127.0.0.1')))
    receiver.bind(0, '127.0.0.1', on_listening)
    h.run()
    assert got == [(b'kept', '127.0.0.1')]


def test_receive_block_list_ipv6(h: Harness) -> None:
    blocked = dgram.BlockList()
    blocked.add_address('::1', 'ipv6')
    receiver = h.socket(type='udp6', receive_block_list=blocked)
    sender6 = h.socket('udp6')
    sender4 = h.socket('udp4')
    got: list[Any] = []

    def on_message(msg: bytes, rinfo: Any) -> None:
        got.append((msg, rinfo.address, rinfo.family))
        h.close_all()
    receiver.on('message', on_message)

    def on_listening() -> None:
        port = receiver.address().port
        sender6.send(b'dropped', port, '::1', lambda *_: sender4.send(b'kept', port,
                                                                     '127.0.0.1'))
    receiver.bind(0, '::', on_listening)   # dual stack: IPv4 arrives as ::ffff:127.0.0.1
    h.run()
    assert got == [(b'kept', '::ffff:127.0.0.1', 'IPv6')]


# --- receiving ---------------------------------------------------------------------------

@pytest.mark.parametrize('kind', ['udp4', 'udp6'])
def test_message_and_rinfo(h: Harness, kind: str) -> None:
    sender = h.socket(kind)
    ports: list[int] = []

    def then(port: int) -> None:
        sender.bind(0, LOOPBACK[kind], lambda: (
            ports.append(sender.address().port),
            sender.send(b'rinfo', port, LOOPBACK[kind])))
    got = receive(h, kind, 1, then)
    h.run()
    assert len(got) == 1
    msg, rinfo = got[0]
    assert msg == b'rinfo'
    assert rinfo.address == LOOPBACK[kind]
    assert rinfo.family == FAMILY[kind]
    assert rinfo.port == ports[0]
    assert rinfo.size == 5


def test_rinfo_matches_node(node: Node) -> None:
    expected = node('''
const dgram = require('dgram');
const r = dgram.createSocket('udp6');
r.on('message', (m, rinfo) => {
  const keys = Object.keys(rinfo);
  process.stdout.write(JSON.stringify([m.toString(), keys, rinfo.family, rinfo.size]));
  r.close(); s.close();
});
const s = dgram.createSocket('udp6');
r.bind(0, '::1', () => s.send('hi', r.address().port, '::1'));
''')
    h = Harness()
    got = receive(h, 'udp6', 1, lambda port: h.socket('udp6').send('hi', port, '::1'))
    h.run()
    msg, rinfo = got[0]
    assert [msg.decode(), ['address', 'family', 'port', 'size'], rinfo.family,
            rinfo.size] == expected
    assert (rinfo.address, rinfo.family, rinfo.size) == ('::1', 'IPv6', 2)


def test_many_datagrams_in_order(h: Harness) -> None:
    sender = h.socket('udp4')
    count = 50

    def then(port: int) -> None:
        for i in range(count):
            sender.send(i.to_bytes(2, 'big') * 8, port, '127.0.0.1')
    got = receive(h, 'udp4', count, then)
    h.run()
    assert [msg for msg, _ in got] == [i.to_bytes(2, 'big') * 8 for i in range(count)]
    assert len({rinfo.port for _, rinfo in got}) == 1


def test_empty_datagram(h: Harness) -> None:
    sender = h.socket('udp4')
    results: list[Any] = []
    got = receive(h, 'udp4', 1, lambda port: sender.send(
        b'', port, '127.0.0.1', lambda *args: results.append(args)))
    h.run()
    assert [(msg, rinfo.size) for msg, rinfo in got] == [(b'', 0)]
    assert results == [(None, 0)]


def test_message_listener_gets_exactly_two_arguments(h: Harness) -> None:
    sender = h.socket('udp4')
    calls: list[tuple[Any, ...]] = []
    receiver = h.socket('udp4')

    def on_message(*args: Any) -> None:
        calls.append(args)
        h.close_all()
    receiver.on('message', on_message)
    receiver.bind(0, '127.0.0.1',
                  lambda: sender.send(b'two', receiver.address().port, '127.0.0.1'))
    h.run()
    assert len(calls) == 1
    assert len(calls[0]) == 2
    assert calls[0][0] == b'two'
