"""Socket.bind against Node v23.5.0: the argument forms, 'listening', the
bind state machine and its errors, EADDRINUSE, address sharing, fds.

Expected values were settled with the Node oracle (``.cache/node/bin/node``);
the event-order tests run their JS twin under it.  Real sockets, bound to the
loopback addresses (or, where a form binds the wildcard address, to an
ephemeral port that nothing is sent to from outside).
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from typing import Any

import pytest
from socket_harness import Harness, Node

import dgram_uv as dgram
from dgram_uv import errors

# --- the argument forms ---------------------------------------------------------------

# (form, bind call given the socket and a callback, address Node binds, callback passed?)
BIND_FORMS: list[tuple[str, Callable[[dgram.Socket, Any], Any], str, bool]] = [
    ('bind()', lambda s, cb: s.bind(), '0.0.0.0', False),
    ('bind(cb)', lambda s, cb: s.bind(cb), '0.0.0.0', True),
    ('bind(port)', lambda s, cb: s.bind(0), '0.0.0.0', False),
    ('bind(port, cb)', lambda s, cb: s.bind(0, cb), '0.0.0.0', True),
    ('bind(port, address)', lambda s, cb: s.bind(0, '127.0.0.1'), '127.0.0.1', False),
    ('bind(port, address, cb)', lambda s, cb: s.bind(0, '127.0.0.1', cb), '127.0.0.1', True),
    ('bind({port, address, exclusive})',
     lambda s, cb: s.bind({'port': 0, 'address': '127.0.0.1', 'exclusive': True}),
     '127.0.0.1', False),
    ('bind(options, cb)', lambda s, cb: s.bind({'port': 0, 'address': '127.0.0.1'}, cb),
     '127.0.0.1', True),
    ('bind({}, cb)', lambda s, cb: s.bind({}, cb), '0.0.0.0', True),
    ('bind({address}, cb)', lambda s, cb: s.bind({'address': '127.0.0.1'}, cb),
     '127.0.0.1', True),
    ("bind('0', address, cb)", lambda s, cb: s.bind('0', '127.0.0.1', cb), '127.0.0.1', True),
    ('bind(None, address, cb)', lambda s, cb: s.bind(None, '127.0.0.1', cb),
     '127.0.0.1', True),
    ("bind(port, '', cb)", lambda s, cb: s.bind(0, '', cb), '0.0.0.0', True),
    ('bind(port, None, cb)', lambda s, cb: s.bind(0, None, cb), '0.0.0.0', True),
    ('bind(port=0, address=...)', lambda s, cb: s.bind(port=0, address='127.0.0.1'),
     '127.0.0.1', False),
    ('bind(port=0, callback=cb)', lambda s, cb: s.bind(port=0, callback=cb), '0.0.0.0', True),
    ('bind(port=0, address=..., callback=cb)',
     lambda s, cb: s.bind(port=0, address='127.0.0.1', callback=cb), '127.0.0.1', True),
    ('bind(0, callback=cb)', lambda s, cb: s.bind(0, callback=cb), '0.0.0.0', True),
    ('bind(port=0, address=..., exclusive=True)',
     lambda s, cb: s.bind(port=0, address='127.0.0.1', exclusive=True), '127.0.0.1', False),
    ('bind(callback=cb)', lambda s, cb: s.bind(callback=cb), '0.0.0.0', True),
    # Node opens an fd only for an int32 > 0: otherwise the mapping is a normal bind.
    ('bind({fd: 0, ...}, cb)',
     lambda s, cb: s.bind({'fd': 0, 'port': 0, 'address': '127.0.0.1'}, cb), '127.0.0.1', True),
    ('bind({fd: -1, ...}, cb)',
     lambda s, cb: s.bind({'fd': -1, 'port': 0, 'address': '127.0.0.1'}, cb), '127.0.0.1', True),
    ('bind({fd: True, ...}, cb)',
     lambda s, cb: s.bind({'fd': True, 'port': 0, 'address': '127.0.0.1'}, cb), '127.0.0.1',
     True),
]


@pytest.mark.parametrize(('call', 'address', 'with_callback'),
                         [case[1:] for case in BIND_FORMS],
                         ids=[case[0] for case in BIND_FORMS])
def test_bind_argument_forms(h: Harness, call: Callable[[dgram.Socket, Any], Any],
                             address: str, with_callback: bool) -> None:
    sock = h.socket('udp4')
    log: list[Any] = []

    def on_listening() -> None:
        info = sock.address()
        log.append(('listening', info.address, info.family, info.port > 0))
        dgram.set_immediate(sock.close)     # after the bind callback, if any
    sock.on('listening', on_listening)
    returned = call(sock, lambda *args: log.append(('callback', args)))
    assert returned is sock                  # bind returns the socket
    assert log == []                          # 'listening' is asynchronous
    h.run()
    expected: list[Any] = [('listening', address, 'IPv4', True)]
    if with_callback:
        expected.append(('callback', ()))     # called with no arguments
    assert log == expected


def test_bind_udp6_forms(h: Harness) -> None:
    seen: list[Any] = []
    loopback = h.socket('udp6')
    wildcard = h.socket('udp6')
    keywords = h.socket(type='udp6')

    def done(sock: dgram.Socket) -> Callable[[], None]:
        return lambda: (seen.append(sock.address()), sock.close())
    loopback.bind(0, '::1', done(loopback))
    wildcard.bind(done(wildcard))
    keywords.bind(port=0, address='::1', callback=done(keywords))
    h.run()
    assert sorted((a.address, a.family) for a in seen) == [
        ('::', 'IPv6'), ('::1', 'IPv6'), ('::1', 'IPv6')]
    assert all(a.port > 0 for a in seen)


def test_bind_to_a_given_port(h: Harness) -> None:
    # A port found free by the kernel, then asked for explicitly.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    sock = h.socket('udp4')
    seen: list[Any] = []
    sock.bind(port, '127.0.0.1', lambda: (seen.append(sock.address()), sock.close()))
    h.run()
    assert [(a.address, a.port) for a in seen] == [('127.0.0.1', port)]


def test_bind_keyword_errors() -> None:
    sock = dgram.create_socket('udp4')
    try:
        with pytest.raises(TypeError):
            sock.bind(0, port=0)                # the port twice
        with pytest.raises(TypeError):
            sock.bind(no_such_argument=1)
    finally:
        sock.close()
    dgram.run()


def test_bind_address_not_a_string() -> None:
    # Node: dns.lookup throws synchronously for bind(0, 5).
    sock = dgram.create_socket('udp4')
    with pytest.raises(TypeError) as info:
        sock.bind(0, 5)
    assert getattr(info.value, 'code', None) == 'ERR_INVALID_ARG_TYPE'
    assert str(info.value).startswith('The "hostname" argument must be of type string.')
    sock.close()
    dgram.run()


# --- 'listening' and the callback -------------------------------------------------------

def test_listening_order_matches_node(node: Node) -> None:
    js = '''
const dgram = require('dgram');
const out = [];
const log = (s) => out.push(s);
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const s = dgram.createSocket('udp4');
s.on('listening', () => log('listening 1'));
s.bind(0, '127.0.0.1', () => { log('callback'); s.close(() => log('closed')); });
s.on('listening', () => log('listening 2'));
process.nextTick(() => log('tick'));
log('main end');
'''
    out: list[str] = []
    s = dgram.create_socket('udp4')
    s.on('listening', lambda: out.append('listening 1'))
    s.bind(0, '127.0.0.1', lambda: (out.append('callback'),
                                    s.close(lambda: out.append('closed'))))
    s.on('listening', lambda: out.append('listening 2'))
    dgram.next_tick(lambda: out.append('tick'))
    out.append('main end')
    dgram.run()
    assert out == node(js)
    assert out[0] == 'main end'


def test_bind_callback_is_dropped_on_error(node: Node) -> None:
    # Node's bind callback is a 'listening' listener that an 'error' removes.
    js = '''
const dgram = require('dgram');
const out = [];
const log = (s) => out.push(String(s));
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const first = dgram.createSocket('udp4');
const second = dgram.createSocket('udp4');
first.bind(0, '127.0.0.1', () => {
  second.once('error', (err) => {
    log(err.code);
    log(second.listenerCount('listening') + ' ' + second.listenerCount('error'));
    process.nextTick(() => {
      log(second.listenerCount('listening') + ' ' + second.listenerCount('error'));
      second.bind(0, '127.0.0.1', () => { log('second callback'); first.close(); second.close(); });
    });
  });
  second.bind(first.address().port, '127.0.0.1', () => log('first callback'));
});
'''
    out: list[str] = []
    first = dgram.create_socket('udp4')
    second = dgram.create_socket('udp4')

    def counts() -> str:
        return f"{second.listener_count('listening')} {second.listener_count('error')}"

    def on_error(err: Any) -> None:
        out.append(err.code)
        out.append(counts())

        def later() -> None:
            out.append(counts())
            second.bind(0, '127.0.0.1', lambda: (out.append('second callback'), first.close(),
                                                 second.close()))
        dgram.next_tick(later)

    def on_first() -> None:
        second.once('error', on_error)
        second.bind(first.address().port, '127.0.0.1', lambda: out.append('first callback'))
    first.bind(0, '127.0.0.1', on_first)
    dgram.run()
    expected = node(js)
    assert expected[0] == 'EADDRINUSE'
    assert out == expected


# --- the bind state machine ---------------------------------------------------------------

def test_already_bound(h: Harness) -> None:
    sock = h.socket('udp4')
    caught: list[BaseException] = []

    def on_listening() -> None:
        try:
            sock.bind(0, '127.0.0.1')
        except errors.NodeError as exc:
            caught.append(exc)
        sock.close()
    sock.bind(0, '127.0.0.1', on_listening)
    h.run()
    assert len(caught) == 1
    assert caught[0].code == 'ERR_SOCKET_ALREADY_BOUND'
    assert str(caught[0]) == 'Socket is already bound'
    assert not isinstance(caught[0], (TypeError, ValueError))


def test_already_bound_while_binding(h: Harness) -> None:
    sock = h.socket('udp4')
    sock.bind(0, '127.0.0.1')
    with pytest.raises(errors.ERR_SOCKET_ALREADY_BOUND):
        sock.bind(0, '127.0.0.1')             # still binding: Node's BIND_STATE_BINDING
    sock.on('listening', sock.close)
    h.run()


def test_bind_after_close(h: Harness) -> None:
    sock = h.socket('udp4')
    sock.close()
    with pytest.raises(errors.NodeError) as info:
        sock.bind(0, '127.0.0.1')
    assert info.value.code == 'ERR_SOCKET_DGRAM_NOT_RUNNING'
    assert str(info.value) == 'Not running'
    h.run()


def test_bind_after_close_of_a_bound_socket(h: Harness) -> None:
    sock = h.socket('udp4')
    caught: list[str] = []

    def on_close() -> None:
        try:
            sock.bind(0, '127.0.0.1')
        except errors.ERR_SOCKET_DGRAM_NOT_RUNNING as exc:
            caught.append(exc.code)
    sock.bind(0, '127.0.0.1', lambda: sock.close(on_close))
    h.run()
    assert caught == ['ERR_SOCKET_DGRAM_NOT_RUNNING']


# --- EADDRINUSE and other bind errors -----------------------------------------------------

@pytest.mark.parametrize(('kind', 'address'), [('udp4', '127.0.0.1'), ('udp6', '::1')])
def test_eaddrinuse(h: Harness, kind: str, address: str) -> None:
    first = h.socket(kind)
    second = h.socket(kind)
    caught: list[Any] = []
    ports: list[int] = []

    def on_first() -> None:
        ports.append(first.address().port)
        second.on('error', on_error)
        second.bind(ports[0], address, lambda: caught.append('listening'))

    def on_error(err: Any) -> None:
        caught.append(err)
        first.close()
        second.close()
    first.bind(0, address, on_first)
    h.run()
    assert len(caught) == 1
    err = caught[0]
    port = ports[0]
    assert isinstance(err, OSError)
    assert str(err) == f'bind EADDRINUSE {address}:{port}'
    assert err.errno == errno.EADDRINUSE
    assert err.errno > 0
    assert err.code == 'EADDRINUSE'
    assert err.syscall == 'bind'
    assert err.address == address
    assert err.port == port


def test_eaddrinuse_resets_the_state(h: Harness) -> None:
    # After a failed bind the socket is unbound again and may bind elsewhere.
    first = h.socket('udp4')
    second = h.socket('udp4')
    log: list[Any] = []

    def on_first() -> None:
        second.once('error', on_error)
        second.bind(first.address().port, '127.0.0.1')

    def on_error(err: Any) -> None:
        log.append(err.code)
        second.bind(0, '127.0.0.1', lambda: (log.append(second.address().port
                                                         != first.address().port),
                                             first.close(), second.close()))
    first.bind(0, '127.0.0.1', on_first)
    h.run()
    assert log == ['EADDRINUSE', True]


def test_eaddrinuse_without_error_listener_stops_run(h: Harness) -> None:
    # An 'error' with no listener throws, as in Node: run() re-raises it.
    first = h.socket('udp4')
    second = h.socket('udp4')
    first.bind(0, '127.0.0.1', lambda: second.bind(first.address().port, '127.0.0.1'))
    with pytest.raises(OSError) as info:
        dgram.run()
    assert getattr(info.value, 'code', None) == 'EADDRINUSE'
    first.close()
    second.close()
    h.run()


@pytest.mark.parametrize(('kind', 'address'), [('udp4', '::1'), ('udp6', '127.0.0.1')])
def test_bind_address_of_the_other_family(h: Harness, kind: str, address: str) -> None:
    # Node: 'bind EINVAL ::1' (port 0 is not shown).
    sock = h.socket(kind)
    caught: list[Any] = []
    sock.on('error', lambda err: (caught.append(err), sock.close()))
    sock.bind(0, address)
    h.run()
    assert len(caught) == 1
    err = caught[0]
    assert str(err) == f'bind EINVAL {address}'
    assert err.errno == errno.EINVAL
    assert err.code == 'EINVAL'
    assert err.syscall == 'bind'
    assert err.address == address


# --- sharing a port --------------------------------------------------------------------

# (two sockets sharing a port with reuse_addr / reuse_port: test_socket_create.py)


@pytest.mark.parametrize('option', ['reuse_addr', 'reuse_port'])
def test_reuse_needs_both_sockets(h: Harness, option: str) -> None:
    # Only the first socket asks for sharing: the second bind fails.
    first = h.socket(type='udp4', **{option: True})
    second = h.socket('udp4')
    errs: list[Any] = []

    def on_first() -> None:
        second.on('error', lambda err: (errs.append(err.code), first.close(), second.close()))
        second.bind(first.address().port, '127.0.0.1', lambda: (first.close(), second.close()))
    first.bind(0, '127.0.0.1', on_first)
    h.run()
    assert errs == ['EADDRINUSE']


@pytest.mark.parametrize(('family', 'kind', 'address'),
                         [(socket.AF_INET, 'udp4', '127.0.0.1'),
                          (socket.AF_INET6, 'udp6', '::1')])
def test_bind_fd_of_a_python_udp_socket(h: Harness, family: int, kind: str,
                                        address: str) -> None:
    py = socket.socket(family, socket.SOCK_DGRAM)
    py.bind((address, 0))
    port = py.getsockname()[1]
    fd = py.detach()                     # the dgram socket owns (and closes) the fd now
    sock = h.socket(kind)
    log: list[Any] = []
    sock.on('listening', lambda: log.append('listening'))
    sock.on('message', lambda msg, rinfo: (log.append((msg, rinfo.address)), sock.close()))
    returned = sock.bind({'fd': fd}, lambda *args: log.append(('callback', args)))
    # Node's fd path calls startListening at once: 'listening' is synchronous here.
    assert returned is sock
    assert log == ['listening', ('callback', ())]
    info = sock.address()
    assert (info.address, info.port, info.family) == (address, port,
                                                      'IPv4' if kind == 'udp4' else 'IPv6')
    with socket.socket(family, socket.SOCK_DGRAM) as sender:
        sender.sendto(b'via fd', (address, port))
    h.run()
    assert log[2:] == [(b'via fd', address)]


def test_bind_fd_of_a_tcp_socket(h: Harness) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
        tcp.bind(('127.0.0.1', 0))
        tcp.listen()
        sock = h.socket('udp4')
        with pytest.raises(TypeError) as info:
            sock.bind({'fd': tcp.fileno()})
        assert getattr(info.value, 'code', None) == 'ERR_INVALID_FD_TYPE'
        assert isinstance(info.value, errors.NodeError)
        assert str(info.value) == 'Unsupported fd type: TCP'
        sock.close()
        h.run()
        tcp.getsockname()                    # the TCP socket is untouched


def test_bind_fd_of_a_file(h: Harness, tmp_path: Any) -> None:
    with open(tmp_path / 'f', 'wb') as file:
        sock = h.socket('udp4')
        with pytest.raises(errors.ERR_INVALID_FD_TYPE) as info:
            sock.bind({'fd': file.fileno()})
        assert str(info.value) == 'Unsupported fd type: FILE'
        sock.close()
        h.run()
