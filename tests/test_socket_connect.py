"""Socket.connect / disconnect / remote_address against Node v23.5.0: the
'connect' event and callback, sending on a connected socket, the connect
state machine and its errors, ECONNREFUSED.

Expected values were settled with the Node oracle (``.cache/node/bin/node``);
the event-order tests run their JS twin under it and compare.  Real sockets on
127.0.0.1 and ::1, in-process, on the real loop.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from typing import Any

import pytest
from socket_harness import FAMILY, LOOPBACK, Harness, Node

import dgram_uv as dgram
from dgram_uv import errors


def js_value(value: Any) -> str:
    """How the JS twins print a value: JS's String() of the mapped value."""
    if value is None:
        return 'undefined'
    if value is True or value is False:
        return str(value).lower()
    return str(value)


def caught(fn: Callable[[], Any]) -> str:
    """'ok' or the error's code (else its class), as the JS twins log it."""
    try:
        fn()
    except Exception as exc:
        return str(getattr(exc, 'code', None) or type(exc).__name__)
    return 'ok'


JS_PRELUDE = '''
const dgram = require('dgram');
const out = [];
const log = (...a) => out.push(a.map(String).join(' '));
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const caught = (f) => { try { f(); return 'ok'; } catch (e) { return e.code || e.name; } };
'''


# --- the 'connect' event and callback -----------------------------------------------

JS_ORDER = JS_PRELUDE + '''
const r = dgram.createSocket('udp4');
r.bind(0, '127.0.0.1', () => {
  const P = r.address().port;
  const c = dgram.createSocket('udp4');
  c.on('listening', () => log('listening', c.address().address));
  c.on('connect', (...a) => log('connect event', a.length, c.address().address,
                                c.remoteAddress().address, c.remoteAddress().port === P));
  c.connect(P, '127.0.0.1', (...a) => {
    log('connect callback', a.length);
    c.close(() => log('closed'));
    r.close();
  });
  c.on('connect', () => log('late listener'));
  log('send while connecting', caught(() => c.send('x')));
  log('remoteAddress while connecting', caught(() => c.remoteAddress()));
  log('disconnect while connecting', caught(() => c.disconnect()));
  log('connect while connecting', caught(() => c.connect(P, '127.0.0.1')));
  log('after connect');
});
'''


def test_connect_order_matches_node(node: Node) -> None:
    out: list[str] = []

    def log(*args: Any) -> None:
        out.append(' '.join(js_value(a) for a in args))
    r = dgram.create_socket('udp4')

    def on_listening() -> None:
        port = r.address().port
        c = dgram.create_socket('udp4')
        c.on('listening', lambda: log('listening', c.address().address))
        c.on('connect', lambda *a: log('connect event', len(a), c.address().address,
                                       c.remote_address().address,
                                       c.remote_address().port == port))

        def on_connect(*a: Any) -> None:
            log('connect callback', len(a))
            c.close(lambda: log('closed'))
            r.close()
        c.connect(port, '127.0.0.1', on_connect)
        c.on('connect', lambda: log('late listener'))
        log('send while connecting', caught(lambda: c.send('x')))
        log('remoteAddress while connecting', caught(c.remote_address))
        log('disconnect while connecting', caught(c.disconnect))
        log('connect while connecting', caught(lambda: c.connect(port, '127.0.0.1')))
        log('after connect')
    r.bind(0, '127.0.0.1', on_listening)
    dgram.run()
    expected = node(JS_ORDER)
    assert expected[-3:] == ['late listener', 'connect callback 0', 'closed']
    assert out == expected


@pytest.mark.parametrize('kind', ['udp4', 'udp6'])
def test_connect_then_send_without_address(h: Harness, kind: str) -> None:
    receiver = h.socket(kind)
    sender = h.socket(kind)
    got: list[Any] = []
    remote: list[Any] = []
    receiver.on('message', lambda msg, rinfo: (got.append((msg, rinfo.address, rinfo.port)),
                                               h.close_all()))

    def on_connect() -> None:
        info = sender.remote_address()
        remote.append((info.address, info.family, info.port, sender.address().port,
                       receiver.address().port))
        sender.send(b'connected')
    receiver.bind(0, LOOPBACK[kind], lambda: sender.connect(receiver.address().port,
                                                            LOOPBACK[kind], on_connect))
    h.run()
    assert len(remote) == 1
    address, family, port, local_port, receiver_port = remote[0]
    assert (address, family, port) == (LOOPBACK[kind], FAMILY[kind], receiver_port)
    assert got == [(b'connected', LOOPBACK[kind], local_port)]


def test_remote_address_is_the_peer(h: Harness) -> None:
    receiver = h.socket('udp4')
    sender = h.socket('udp4')
    seen: list[Any] = []

    def on_connect() -> None:
        seen.append((sender.remote_address(), receiver.address()))
        h.close_all()
    receiver.bind(0, '127.0.0.1', lambda: sender.connect(str(receiver.address().port),
                                                         '127.0.0.1', on_connect))
    h.run()
    remote, peer = seen[0]
    assert (remote.address, remote.family, remote.port) == (peer.address, peer.family,
                                                            peer.port)


def test_connect_default_address(h: Harness) -> None:
    # connect(port) and connect(port, callback): the loopback, as Node's lookup defaults.
    receiver = h.socket('udp6')
    first = h.socket('udp6')
    second = h.socket('udp4')
    remotes: list[str] = []

    def connected(sock: dgram.Socket) -> None:
        remotes.append(sock.remote_address().address)
        if len(remotes) == 2:
            h.close_all()

    def on_listening() -> None:
        port = receiver.address().port
        first.connect(port)
        first.on('connect', lambda: connected(first))
        second.connect(port, lambda: connected(second))
    receiver.bind(0, '::', on_listening)
    h.run()
    assert sorted(remotes) == ['127.0.0.1', '::1']


# --- the connect state machine and its errors ---------------------------------------------

def test_connect_twice(h: Harness) -> None:
    receiver = h.socket('udp4')
    sender = h.socket('udp4')
    results: list[Any] = []

    def on_connect() -> None:
        try:
            sender.connect(receiver.address().port, '127.0.0.1')
        except errors.NodeError as exc:
            results.append(exc)
        h.close_all()
    receiver.bind(0, '127.0.0.1', lambda: sender.connect(receiver.address().port,
                                                         '127.0.0.1', on_connect))
    h.run()
    assert len(results) == 1
    err = results[0]
    assert err.code == 'ERR_SOCKET_DGRAM_IS_CONNECTED'
    assert str(err) == 'Already connected'
    assert not isinstance(err, (TypeError, ValueError, OSError))


@pytest.mark.parametrize('call', [
    lambda s, p: s.send(b'xy', 0, 2, p),
    lambda s, p: s.send(b'xy', 0, 2, p, '127.0.0.1'),
    lambda s, p: s.send(b'xy', 0, 2, p, '127.0.0.1', lambda *_: None),
    lambda s, p: s.send(b'xy', offset=0, length=2, port=p),
], ids=['offset-length-port', 'offset-length-port-address', 'with-callback', 'keywords'])
def test_send_with_port_while_connected(h: Harness, call: Callable[..., Any]) -> None:
    receiver = h.socket('udp4')
    sender = h.socket('udp4')
    results: list[str] = []

    def on_connect() -> None:
        try:
            call(sender, receiver.address().port)
        except errors.ERR_SOCKET_DGRAM_IS_CONNECTED as exc:
            results.append(exc.code)
        h.close_all()
    receiver.bind(0, '127.0.0.1', lambda: sender.connect(receiver.address().port,
                                                         '127.0.0.1', on_connect))
    h.run()
    assert results == ['ERR_SOCKET_DGRAM_IS_CONNECTED']


JS_QUIRK = JS_PRELUDE + '''
// Node reads send(msg, port, address) on a connected socket as send(msg, callback)
// with a callback that is not a function: it goes to the peer, nothing thrown.
const r = dgram.createSocket('udp4');
const other = dgram.createSocket('udp4');
const c = dgram.createSocket('udp4');
let n = 0;
r.on('message', (m) => {
  log('peer got', m);
  if (++n === 2) { r.close(); other.close(); c.close(); }
});
other.on('message', (m) => log('other got', m));
r.bind(0, '127.0.0.1', () => other.bind(0, '127.0.0.1', () => {
  c.connect(r.address().port, '127.0.0.1', () => {
    log(caught(() => c.send('q1', other.address().port, '127.0.0.1')));
    log(caught(() => c.send('q2', other.address().port)));
  });
}));
'''


def test_send_port_address_while_connected_goes_to_the_peer(node: Node) -> None:
    out: list[str] = []
    h = Harness()
    r = h.socket('udp4')
    other = h.socket('udp4')
    c = h.socket('udp4')
    count = [0]

    def on_peer(msg: bytes, rinfo: Any) -> None:
        out.append(f'peer got {msg.decode()}')
        count[0] += 1
        if count[0] == 2:
            h.close_all()
    r.on('message', on_peer)
    other.on('message', lambda msg, rinfo: out.append(f'other got {msg.decode()}'))

    def on_connect() -> None:
        out.append(caught(lambda: c.send('q1', other.address().port, '127.0.0.1')))
        out.append(caught(lambda: c.send('q2', other.address().port)))
    r.bind(0, '127.0.0.1', lambda: other.bind(0, '127.0.0.1', lambda: c.connect(
        r.address().port, '127.0.0.1', on_connect)))
    h.run()
    assert out == node(JS_QUIRK) == ['ok', 'ok', 'peer got q1', 'peer got q2']


def test_not_connected_errors(h: Harness) -> None:
    sock = h.socket('udp4')
    for call in (sock.disconnect, sock.remote_address):
        with pytest.raises(errors.NodeError) as info:
            call()
        assert info.value.code == 'ERR_SOCKET_DGRAM_NOT_CONNECTED'
        assert str(info.value) == 'Not connected'
        assert not isinstance(info.value, (TypeError, ValueError, OSError))
    seen: list[str] = []

    def on_listening() -> None:           # bound, still not connected
        seen.append(caught(sock.disconnect))
        seen.append(caught(sock.remote_address))
        sock.close()
    sock.bind(0, '127.0.0.1', on_listening)
    h.run()
    assert seen == ['ERR_SOCKET_DGRAM_NOT_CONNECTED'] * 2


def test_remote_address_after_close(h: Harness) -> None:
    # Node's remoteAddress runs healthCheck first.
    sock = h.socket('udp4')
    sock.close()
    with pytest.raises(errors.ERR_SOCKET_DGRAM_NOT_RUNNING):
        sock.remote_address()
    h.run()


def test_disconnect_then_send_with_address(h: Harness) -> None:
    first = h.socket('udp4')
    second = h.socket('udp4')
    sender = h.socket('udp4')
    log: list[Any] = []

    def on_second(msg: bytes, rinfo: Any) -> None:
        log.append(('second', msg))
        h.close_all()
    second.on('message', on_second)

    def on_connect() -> None:
        assert sender.disconnect() is None
        log.append(caught(sender.remote_address))
        log.append(caught(sender.disconnect))
        log.append(caught(lambda: sender.send(b'no port')))       # a port is needed again
        sender.send(b'to second', second.address().port, '127.0.0.1',
                    lambda *args: log.append(args))
    first.bind(0, '127.0.0.1', lambda: second.bind(0, '127.0.0.1', lambda: sender.connect(
        first.address().port, '127.0.0.1', on_connect)))
    h.run()
    assert log == ['ERR_SOCKET_DGRAM_NOT_CONNECTED', 'ERR_SOCKET_DGRAM_NOT_CONNECTED',
                   'ERR_SOCKET_BAD_PORT', (None, 9), ('second', b'to second')]


def test_reconnect_after_disconnect(h: Harness) -> None:
    first = h.socket('udp4')
    second = h.socket('udp4')
    sender = h.socket('udp4')
    remotes: list[int] = []
    connects: list[str] = []
    sender.on('connect', lambda: connects.append('connect'))

    def on_second_connect() -> None:
        remotes.append(sender.remote_address().port)
        sender.send(b'again')

    def on_first_connect() -> None:
        remotes.append(sender.remote_address().port)
        sender.disconnect()
        sender.connect(second.address().port, '127.0.0.1', on_second_connect)
    second.on('message', lambda msg, rinfo: (remotes.append(msg), h.close_all()))
    first.bind(0, '127.0.0.1', lambda: second.bind(0, '127.0.0.1', lambda: sender.connect(
        first.address().port, '127.0.0.1', on_first_connect)))
    h.run()
    assert remotes[2] == b'again'
    assert remotes[0] != remotes[1]
    assert connects == ['connect', 'connect']


@pytest.mark.parametrize('bad', [None, 0, 65536, -1, 1.5, True, 'x', ''])
def test_connect_bad_port(bad: Any) -> None:
    sock = dgram.create_socket('udp4')
    with pytest.raises(ValueError) as info:
        sock.connect(bad, '127.0.0.1')
    assert getattr(info.value, 'code', None) == 'ERR_SOCKET_BAD_PORT'
    assert str(info.value).startswith('Port should be > 0 and < 65536. Received ')
    sock.close()
    dgram.run()


def test_connect_without_arguments() -> None:
    sock = dgram.create_socket('udp4')
    with pytest.raises(errors.ERR_SOCKET_BAD_PORT):
        sock.connect()
    sock.close()
    dgram.run()


@pytest.mark.parametrize('bad', [5, b'127.0.0.1', ['127.0.0.1']])
def test_connect_bad_address(bad: Any) -> None:
    sock = dgram.create_socket('udp4')
    with pytest.raises(TypeError) as info:
        sock.connect(1234, bad)
    assert getattr(info.value, 'code', None) == 'ERR_INVALID_ARG_TYPE'
    assert str(info.value).startswith('The "address" argument must be of type string.')
    sock.close()
    dgram.run()


JS_OTHER_FAMILY = JS_PRELUDE + '''
const d = dgram.createSocket('udp4');
d.connect(4321, '::1', (...a) => {
  const e = a[0];
  log('callback', a.length, e.code, e.message, e.syscall, e.address, e.port, e.errno);
  log('remote', caught(() => d.remoteAddress()));
  d.close();
});
const e = dgram.createSocket('udp4');
e.on('error', (err) => { log('error', err.code, err.message); e.close(); });
e.connect(4321, '::1');
'''


def test_connect_to_the_other_family_matches_node(node: Node) -> None:
    # An IPv6 literal on a udp4 socket: uv_udp_connect fails with EINVAL, which
    # goes to the callback, or to 'error' without one.
    out: list[str] = []

    def log(*args: Any) -> None:
        out.append(' '.join(js_value(a) for a in args))
    h = Harness()
    d = h.socket('udp4')

    def on_connect(*a: Any) -> None:
        e = a[0]
        log('callback', len(a), e.code, str(e), e.syscall, e.address, e.port, -e.errno)
        log('remote', caught(d.remote_address))
        d.close()
    d.connect(4321, '::1', on_connect)
    e = h.socket('udp4')
    e.on('error', lambda err: (log('error', err.code, str(err)), e.close()))
    e.connect(4321, '::1')
    h.run()
    expected = node(JS_OTHER_FAMILY)
    assert expected[0] == f'callback 1 EINVAL connect EINVAL ::1:4321 connect ::1 4321 ' \
                          f'{-errno.EINVAL}'
    assert out == expected


def test_connect_after_close_matches_node(node: Node) -> None:
    js = JS_PRELUDE + '''
const c = dgram.createSocket('udp4');
c.connect(4321, '127.0.0.1', () => {
  c.close(() => {
    log(caught(() => c.connect(4321, '127.0.0.1')));
    log(caught(() => c.disconnect()));
    log(caught(() => c.remoteAddress()));
  });
});
const u = dgram.createSocket('udp4');
u.close();
try { u.connect(4321, '127.0.0.1'); log('ok'); } catch (e) { log(e.code); }
'''
    out: list[str] = []
    c = dgram.create_socket('udp4')

    def on_close() -> None:
        out.append(caught(lambda: c.connect(4321, '127.0.0.1')))
        out.append(caught(c.disconnect))
        out.append(caught(c.remote_address))
    c.connect(4321, '127.0.0.1', lambda: c.close(on_close))
    u = dgram.create_socket('udp4')
    u.close()
    out.append(caught(lambda: u.connect(4321, '127.0.0.1')))
    dgram.run()
    expected = node(js)
    assert expected == ['ERR_SOCKET_DGRAM_NOT_RUNNING', 'ERR_SOCKET_DGRAM_IS_CONNECTED',
                        'TypeError', 'ERR_SOCKET_DGRAM_NOT_RUNNING']
    assert out == expected


def test_disconnect_after_close_is_a_type_error(h: Harness) -> None:
    # Node: disconnect() reaches state.handle.disconnect() with a null handle:
    # "TypeError: Cannot read properties of null (reading 'disconnect')".
    sock = h.socket('udp4')
    messages: list[str] = []

    def on_close() -> None:
        with pytest.raises(TypeError) as info:
            sock.disconnect()
        messages.append(str(info.value))
    receiver = h.socket('udp4')
    receiver.bind(0, '127.0.0.1', lambda: sock.connect(
        receiver.address().port, '127.0.0.1', lambda: (sock.close(on_close),
                                                       receiver.close())))
    h.run()
    assert messages == ["Cannot read properties of null (reading 'disconnect')"]


def test_connect_before_bind_binds_implicitly(node: Node) -> None:
    js = JS_PRELUDE + '''
const r = dgram.createSocket('udp4');
r.bind(0, '127.0.0.1', () => {
  const c = dgram.createSocket('udp4');
  c.on('listening', () => log('listening', c.address().address));
  c.connect(r.address().port, '127.0.0.1', () => {
    log('connected', c.address().address);
    c.close(); r.close();
  });
});
'''
    out: list[str] = []
    r = dgram.create_socket('udp4')

    def on_listening() -> None:
        c = dgram.create_socket('udp4')
        c.on('listening', lambda: out.append(f'listening {c.address().address}'))
        c.connect(r.address().port, '127.0.0.1', lambda: (
            out.append(f'connected {c.address().address}'), c.close(), r.close()))
    r.bind(0, '127.0.0.1', on_listening)
    dgram.run()
    assert out == node(js) == ['listening 0.0.0.0', 'connected 127.0.0.1']


@pytest.mark.parametrize('kind', ['udp4', 'udp6'])
def test_emsgsize_on_a_connected_socket(h: Harness, kind: str) -> None:
    # Node: no address/port on a connected send's error: 'send EMSGSIZE'.
    sock = h.socket(kind)
    results: list[Any] = []

    def on_connect() -> None:
        sock.send(bytes(70000), lambda *args: (results.append(args), sock.close()))
    sock.bind(0, LOOPBACK[kind], lambda: sock.connect(sock.address().port, LOOPBACK[kind],
                                                      on_connect))
    h.run()
    assert len(results) == 1 and len(results[0]) == 1
    err = results[0][0]
    assert str(err) == 'send EMSGSIZE'
    assert err.errno == errno.EMSGSIZE
    assert (err.code, err.syscall, err.address, err.port) == ('EMSGSIZE', 'send', None, None)


# --- nobody listening -------------------------------------------------------------------

def free_udp_port(address: str) -> int:
    family = socket.AF_INET6 if ':' in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as probe:
        probe.bind((address, 0))
        return int(probe.getsockname()[1])


JS_REFUSED = JS_PRELUDE + '''
const P = %(port)d;
const c = dgram.createSocket('%(kind)s');
c.on('listening', () => log('listening'));
c.on('connect', () => log('connect'));
c.on('message', () => log('message'));
c.on('error', (e) => {
  log('error', e.code, e.message, e.syscall, e.errno, e.address, e.port);
  c.close(() => log('closed'));
});
c.connect(P, '%(address)s', () => c.send('a', (...a) => log('send callback', ...a)));
'''


@pytest.mark.parametrize('kind', ['udp4', 'udp6'])
def test_send_to_a_port_nobody_listens_on(node: Node, kind: str) -> None:
    # Node: the send succeeds ((null, 1)); the ICMP port unreachable comes back
    # as 'error' 'recvmsg ECONNREFUSED' from the receive side.
    address = LOOPBACK[kind]
    out: list[str] = []

    def log(*args: Any) -> None:
        out.append(' '.join(js_value(a) for a in args))
    port = free_udp_port(address)
    h = Harness()
    c = h.socket(kind)
    c.on('listening', lambda: log('listening'))
    c.on('connect', lambda: log('connect'))
    c.on('message', lambda *_: log('message'))
    errs: list[Any] = []

    def on_error(e: Any) -> None:
        errs.append(e)
        log('error', e.code, str(e), e.syscall, -e.errno, e.address, e.port)
        c.close(lambda: log('closed'))
    c.on('error', on_error)
    c.connect(port, address, lambda: c.send('a', lambda *a: log(
        'send callback', *['null' if x is None else x for x in a])))
    h.run()
    js = JS_REFUSED % {'kind': kind, 'address': address, 'port': free_udp_port(address)}
    expected = node(js)
    assert expected[-2] == f'error ECONNREFUSED recvmsg ECONNREFUSED recvmsg ' \
                           f'{-errno.ECONNREFUSED} undefined undefined'
    assert out == expected
    err = errs[0]
    assert isinstance(err, OSError)
    assert err.errno == errno.ECONNREFUSED
