"""Socket options against Node v23.5.0: broadcast, TTLs, multicast, membership,
buffer sizes, the send queue, address() -- before bind, bound, and closed.

Expected values were settled with the Node oracle (``.cache/node/bin/node``);
the broad before/bound/closed table runs its JS twin under it and compares.
Real sockets on 127.0.0.1 and ::1, in-process, on the real loop.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from socket_harness import LOOPBACK, Node, close_quietly

import dgram_uv as dgram
from dgram_uv import errors


class Bound:
    """Sockets bound to a loopback address, made before the test body runs."""

    def __init__(self) -> None:
        self.sockets: list[dgram.Socket] = []

    def __call__(self, kind: str) -> dgram.Socket:
        sock = dgram.create_socket(kind)
        sock.bind(0, LOOPBACK[kind])
        # Run the loop until the bind is done (the IP's lookup is a next tick):
        # with every socket unref'd, run() returns once nothing else is pending.
        self.sockets.append(sock)
        for each in self.sockets:
            each.unref()
        dgram.run()
        for each in self.sockets:
            each.ref()
        assert sock.address().port > 0
        return sock

    def close(self) -> None:
        for sock in self.sockets:
            close_quietly(sock)
        dgram.run()


@pytest.fixture
def bound() -> Iterator[Bound]:
    made = Bound()
    yield made
    made.close()


@pytest.fixture
def udp4(bound: Bound) -> dgram.Socket:
    return bound('udp4')


@pytest.fixture
def udp6(bound: Bound) -> dgram.Socket:
    return bound('udp6')


@pytest.fixture
def unbound() -> Iterator[dgram.Socket]:
    sock = dgram.create_socket('udp4')
    yield sock
    close_quietly(sock)
    dgram.run()


def system_error(fn: Callable[[], Any], syscall: str, code: str) -> OSError:
    """``fn()`` raises Node's ErrnoException: '<syscall> <CODE>'."""
    with pytest.raises(OSError) as info:
        fn()
    err = info.value
    assert str(err) == f'{syscall} {code}'
    assert getattr(err, 'code', None) == code
    assert getattr(err, 'syscall', None) == syscall
    assert err.errno == getattr(errno, code)
    assert err.errno > 0
    return err


IP_RECVTTL = getattr(socket, 'IP_RECVTTL', 12)     # Linux's value; Python < 3.14 lacks it


def test_the_bound_fixture_really_binds(udp4: dgram.Socket) -> None:
    info = udp4.address()
    assert (info.address, info.family) == ('127.0.0.1', 'IPv4')


# --- before bind: EBADF ----------------------------------------------------------------

@pytest.mark.parametrize(('call', 'syscall'), [
    (lambda s: s.set_broadcast(True), 'setBroadcast'),
    (lambda s: s.set_ttl(5), 'setTTL'),
    (lambda s: s.set_multicast_ttl(5), 'setMulticastTTL'),
    (lambda s: s.set_multicast_loopback(True), 'setMulticastLoopback'),
    (lambda s: s.set_multicast_interface('127.0.0.1'), 'setMulticastInterface'),
    (lambda s: s.address(), 'getsockname'),
], ids=['set_broadcast', 'set_ttl', 'set_multicast_ttl', 'set_multicast_loopback',
        'set_multicast_interface', 'address'])
def test_ebadf_before_bind(unbound: dgram.Socket, call: Callable[..., Any],
                           syscall: str) -> None:
    system_error(lambda: call(unbound), syscall, 'EBADF')


@pytest.mark.parametrize(('call', 'syscall'), [
    (lambda s: s.get_recv_buffer_size(), 'uv_recv_buffer_size'),
    (lambda s: s.get_send_buffer_size(), 'uv_send_buffer_size'),
    (lambda s: s.set_recv_buffer_size(8192), 'uv_recv_buffer_size'),
    (lambda s: s.set_send_buffer_size(8192), 'uv_send_buffer_size'),
], ids=['get_recv', 'get_send', 'set_recv', 'set_send'])
def test_buffer_size_before_bind(unbound: dgram.Socket, call: Callable[..., Any],
                                 syscall: str) -> None:
    with pytest.raises(errors.NodeError) as info:
        call(unbound)
    err = info.value
    assert err.code == 'ERR_SOCKET_BUFFER_SIZE'
    assert not isinstance(err, (TypeError, ValueError))
    assert str(err) == (f'Could not get or set buffer size: {syscall} returned EBADF '
                        '(bad file descriptor)')
    assert getattr(err, 'syscall', None) == syscall
    info_ = getattr(err, 'info', None)
    assert isinstance(info_, dict)
    assert info_['code'] == 'EBADF'
    assert info_['syscall'] == syscall


def test_send_queue_before_bind(unbound: dgram.Socket) -> None:
    assert unbound.get_send_queue_size() == 0
    assert unbound.get_send_queue_count() == 0


# --- set_broadcast / set_ttl / set_multicast_* ---------------------------------------

def test_set_broadcast(udp4: dgram.Socket) -> None:
    assert udp4.set_broadcast(True) is None
    assert udp4.set_broadcast(False) is None
    assert udp4.set_broadcast() is None
    assert udp4.set_broadcast(1) is None


def test_set_broadcast_reaches_the_socket(udp4: dgram.Socket) -> None:
    # SO_BROADCAST on the socket, read back through a dup of its descriptor
    # (the handle's fd: Node's handle.fd).
    fd = udp4._state.handle.fd
    assert fd > 2
    with socket.socket(fileno=os.dup(fd)) as view:
        udp4.set_broadcast(True)
        assert view.getsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST) == 1
        udp4.set_broadcast(False)
        assert view.getsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST) == 0


@pytest.mark.parametrize('ttl', [1, 5, 64, 255])
def test_set_ttl_returns_the_ttl(udp4: dgram.Socket, ttl: int) -> None:
    assert udp4.set_ttl(ttl) == ttl


@pytest.mark.parametrize('ttl', [1, 7, 200])
def test_set_ttl_reaches_the_datagram(udp4: dgram.Socket, ttl: int) -> None:
    # The TTL the receiver sees (IP_RECVTTL on a plain Python socket).
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(('127.0.0.1', 0))
        receiver.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
        assert udp4.set_ttl(ttl) == ttl
        done: list[Any] = []
        udp4.send(b'ttl', receiver.getsockname()[1], '127.0.0.1', lambda *a: done.append(a))
        udp4.unref()
        dgram.run()                      # the lookup and the send complete in ticks
        udp4.ref()
        assert done == [(None, 3)]
        receiver.settimeout(10)
        msg, ancillary, _, _ = receiver.recvmsg(16, socket.CMSG_SPACE(4))
        assert msg == b'ttl'
        seen = [int.from_bytes(data[:4], sys.byteorder) for level, kind, data in ancillary
                if level == socket.IPPROTO_IP and kind == socket.IP_TTL]
        assert seen == [ttl]


def test_set_ttl_float_is_truncated_by_node(udp4: dgram.Socket) -> None:
    # Node: setTTL(1.5) returns 1.5 (the C++ side takes Int32Value, 1).
    assert udp4.set_ttl(1.5) == 1.5
    assert udp4.set_ttl(1.9) == 1.9
    assert udp4.set_multicast_ttl(1.9) == 1.9


def test_nan_ttl(udp4: dgram.Socket) -> None:
    # Node: NaN is a number; Int32Value(NaN) is 0: EINVAL for setTTL, while
    # setMulticastTTL(0) is valid and returns NaN.
    system_error(lambda: udp4.set_ttl(float('nan')), 'setTTL', 'EINVAL')
    result = udp4.set_multicast_ttl(float('nan'))
    assert result != result


@pytest.mark.parametrize('ttl', [0, 256, 1000, -1])
def test_set_ttl_out_of_range_is_einval(udp4: dgram.Socket, ttl: int) -> None:
    system_error(lambda: udp4.set_ttl(ttl), 'setTTL', 'EINVAL')


@pytest.mark.parametrize('bad', ['5', None, True, [5]])
def test_set_ttl_not_a_number(udp4: dgram.Socket, bad: Any) -> None:
    with pytest.raises(TypeError) as info:
        udp4.set_ttl(bad)
    assert getattr(info.value, 'code', None) == 'ERR_INVALID_ARG_TYPE'
    assert str(info.value).startswith('The "ttl" argument must be of type number. Received')


@pytest.mark.parametrize('ttl', [0, 1, 255])
def test_set_multicast_ttl(udp4: dgram.Socket, ttl: int) -> None:
    assert udp4.set_multicast_ttl(ttl) == ttl


@pytest.mark.parametrize('ttl', [256, 1000])
def test_set_multicast_ttl_out_of_range(udp4: dgram.Socket, ttl: int) -> None:
    system_error(lambda: udp4.set_multicast_ttl(ttl), 'setMulticastTTL', 'EINVAL')


def test_set_multicast_ttl_not_a_number(udp4: dgram.Socket) -> None:
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE) as info:
        udp4.set_multicast_ttl('x')
    assert str(info.value).startswith('The "ttl" argument must be of type number.')


@pytest.mark.parametrize('arg', [True, False, 0, 1, 'yes', ''])
def test_set_multicast_loopback_returns_the_argument(udp4: dgram.Socket, arg: Any) -> None:
    result = udp4.set_multicast_loopback(arg)
    assert result is arg


def test_set_multicast_interface_udp4(udp4: dgram.Socket) -> None:
    assert udp4.set_multicast_interface('127.0.0.1') is None
    assert udp4.set_multicast_interface('0.0.0.0') is None
    system_error(lambda: udp4.set_multicast_interface('bogus'), 'setMulticastInterface',
                 'EINVAL')
    # An IPv6 interface on an IPv4 socket: IPV6_MULTICAST_IF is refused.
    system_error(lambda: udp4.set_multicast_interface('::1'), 'setMulticastInterface',
                 'ENOPROTOOPT')


@pytest.mark.parametrize('interface', ['::%lo', '::1', '::'])
def test_set_multicast_interface_udp6(udp6: dgram.Socket, interface: str) -> None:
    assert udp6.set_multicast_interface(interface) is None


@pytest.mark.parametrize('bad', [5, None, b'127.0.0.1'])
def test_set_multicast_interface_not_a_string(udp4: dgram.Socket, bad: Any) -> None:
    with pytest.raises(TypeError) as info:
        udp4.set_multicast_interface(bad)
    assert getattr(info.value, 'code', None) == 'ERR_INVALID_ARG_TYPE'
    assert str(info.value).startswith(
        'The "interfaceAddress" argument must be of type string. Received')


# --- membership --------------------------------------------------------------------

@pytest.mark.parametrize('method', ['add_membership', 'drop_membership'])
def test_membership_without_address(udp4: dgram.Socket, method: str) -> None:
    for args in ((), (None,), ('',)):
        with pytest.raises(TypeError) as info:
            getattr(udp4, method)(*args)
        assert getattr(info.value, 'code', None) == 'ERR_MISSING_ARGS'
        assert str(info.value) == 'The "multicastAddress" argument must be specified'


def test_membership_of_a_non_multicast_address(udp4: dgram.Socket) -> None:
    system_error(lambda: udp4.add_membership('127.0.0.1'), 'addMembership', 'EINVAL')
    system_error(lambda: udp4.add_membership('bogus'), 'addMembership', 'EINVAL')
    system_error(lambda: udp4.drop_membership('127.0.0.1'), 'dropMembership', 'EADDRNOTAVAIL')


def test_membership_on_the_loopback(udp4: dgram.Socket) -> None:
    assert udp4.add_membership('224.0.0.114', '127.0.0.1') is None
    system_error(lambda: udp4.add_membership('224.0.0.114', '127.0.0.1'), 'addMembership',
                 'EADDRINUSE')
    assert udp4.drop_membership('224.0.0.114', '127.0.0.1') is None
    system_error(lambda: udp4.drop_membership('224.0.0.114', '127.0.0.1'), 'dropMembership',
                 'EADDRNOTAVAIL')


def test_membership_udp6(udp6: dgram.Socket) -> None:
    assert udp6.add_membership('ff02::114', '::%lo') is None
    assert udp6.drop_membership('ff02::114', '::%lo') is None
    system_error(lambda: udp6.add_membership('::1'), 'addMembership', 'EINVAL')


@pytest.mark.parametrize('method', ['add_source_specific_membership',
                                    'drop_source_specific_membership'])
def test_source_specific_membership_arguments(udp4: dgram.Socket, method: str) -> None:
    call = getattr(udp4, method)
    for args, name in [((), 'sourceAddress'), ((5, '232.1.1.1'), 'sourceAddress'),
                       (('127.0.0.1',), 'groupAddress'), (('127.0.0.1', 5), 'groupAddress'),
                       ((None, '232.1.1.1'), 'sourceAddress')]:
        with pytest.raises(TypeError) as info:
            call(*args)
        assert getattr(info.value, 'code', None) == 'ERR_INVALID_ARG_TYPE'
        assert str(info.value).startswith(
            f'The "{name}" argument must be of type string. Received')


def test_source_specific_membership_on_the_loopback(udp4: dgram.Socket) -> None:
    system_error(lambda: udp4.add_source_specific_membership('127.0.0.1', '127.0.0.2'),
                 'addSourceSpecificMembership', 'EINVAL')
    assert udp4.add_source_specific_membership('127.0.0.1', '232.1.1.1', '127.0.0.1') is None
    assert udp4.drop_source_specific_membership('127.0.0.1', '232.1.1.1', '127.0.0.1') is None


# --- buffer sizes and the send queue ------------------------------------------------------

def test_buffer_sizes_after_bind(udp4: dgram.Socket, node: Node) -> None:
    expected = node('''
const dgram = require('dgram');
const s = dgram.createSocket('udp4');
s.bind(0, '127.0.0.1', () => {
  const out = [s.getRecvBufferSize(), s.getSendBufferSize()];
  s.setRecvBufferSize(16384); s.setSendBufferSize(20000);
  out.push(s.getRecvBufferSize(), s.getSendBufferSize());
  s.setRecvBufferSize(0);
  out.push(s.getRecvBufferSize());
  process.stdout.write(JSON.stringify(out));
  s.close();
});''')
    got = [udp4.get_recv_buffer_size(), udp4.get_send_buffer_size()]
    assert udp4.set_recv_buffer_size(16384) is None
    assert udp4.set_send_buffer_size(20000) is None
    got += [udp4.get_recv_buffer_size(), udp4.get_send_buffer_size()]
    udp4.set_recv_buffer_size(0)
    got.append(udp4.get_recv_buffer_size())
    assert got == expected
    assert got[2] != got[0]          # the set really changed something


@pytest.mark.parametrize('bad', [-1, 1.5, 'x', None, True, 2 ** 32, float('nan')])
@pytest.mark.parametrize('method', ['set_recv_buffer_size', 'set_send_buffer_size'])
def test_bad_buffer_size(udp4: dgram.Socket, method: str, bad: Any) -> None:
    with pytest.raises(TypeError) as info:
        getattr(udp4, method)(bad)
    assert getattr(info.value, 'code', None) == 'ERR_SOCKET_BAD_BUFFER_SIZE'
    assert str(info.value) == 'Buffer size must be a positive integer'


def test_bad_buffer_size_before_bind(unbound: dgram.Socket) -> None:
    # The size is validated before the handle is asked.
    with pytest.raises(errors.ERR_SOCKET_BAD_BUFFER_SIZE):
        unbound.set_recv_buffer_size(-1)


def test_send_queue_is_empty_when_idle(udp4: dgram.Socket, udp6: dgram.Socket) -> None:
    for sock in (udp4, udp6):
        assert sock.get_send_queue_size() == 0
        assert sock.get_send_queue_count() == 0


def test_send_queue_after_sends(udp4: dgram.Socket) -> None:
    # Loopback sends complete at once (uv_udp_try_send): nothing stays queued.
    done: list[Any] = []
    for _ in range(3):
        udp4.send(b'x' * 100, udp4.address().port, '127.0.0.1', lambda *a: done.append(a))
    udp4.unref()
    dgram.run()                          # the lookups and the sends complete in ticks
    udp4.ref()
    assert done == [(None, 100)] * 3
    assert udp4.get_send_queue_size() == 0
    assert udp4.get_send_queue_count() == 0


# --- after close ---------------------------------------------------------------------------

JS_AFTER_CLOSE = '''
const dgram = require('dgram');
const out = [];
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const t = (f) => { try { const r = f(); out.push(['ok', r === s ? 'self' : String(r)]); }
                   catch (e) { out.push([e.code || e.name, e.message]); } };
const s = dgram.createSocket('udp4');
s.bind(0, '127.0.0.1', () => {
  s.close();
  t(() => s.setBroadcast(true));
  t(() => s.setTTL(1));
  t(() => s.setMulticastTTL(1));
  t(() => s.setMulticastLoopback(true));
  t(() => s.setMulticastInterface('127.0.0.1'));
  t(() => s.addMembership('224.0.0.114'));
  t(() => s.dropMembership('224.0.0.114'));
  t(() => s.addSourceSpecificMembership('127.0.0.1', '232.1.1.1'));
  t(() => s.dropSourceSpecificMembership('127.0.0.1', '232.1.1.1'));
  t(() => s.getRecvBufferSize());
  t(() => s.setSendBufferSize(8192));
  t(() => s.getSendQueueSize());
  t(() => s.getSendQueueCount());
  t(() => s.address());
  t(() => s.ref());
  t(() => s.unref());
});
'''


def test_options_after_close_match_node(node: Node) -> None:
    out: list[list[str]] = []
    s = dgram.create_socket('udp4')

    def t(fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except Exception as exc:
            out.append([getattr(exc, 'code', None) or type(exc).__name__, str(exc)])
        else:
            out.append(['ok', 'self' if result is s else
                        'undefined' if result is None else str(result)])

    def on_listening() -> None:
        s.close()
        t(lambda: s.set_broadcast(True))
        t(lambda: s.set_ttl(1))
        t(lambda: s.set_multicast_ttl(1))
        t(lambda: s.set_multicast_loopback(True))
        t(lambda: s.set_multicast_interface('127.0.0.1'))
        t(lambda: s.add_membership('224.0.0.114'))
        t(lambda: s.drop_membership('224.0.0.114'))
        t(lambda: s.add_source_specific_membership('127.0.0.1', '232.1.1.1'))
        t(lambda: s.drop_source_specific_membership('127.0.0.1', '232.1.1.1'))
        t(s.get_recv_buffer_size)
        t(lambda: s.set_send_buffer_size(8192))
        t(s.get_send_queue_size)
        t(s.get_send_queue_count)
        t(s.address)
        t(s.ref)
        t(s.unref)
    s.bind(0, '127.0.0.1', on_listening)
    dgram.run()
    expected = node(JS_AFTER_CLOSE)
    assert expected[0] == ['TypeError', "Cannot read properties of null (reading 'setBroadcast')"]
    assert out == expected
