"""The fast paths of the hot operations do what the general paths do.

* ``send(bytes, port, ip_literal, callback)`` on a bound socket is checked
  and queued in one function (``_internal.dgram_send.send_common``); the same
  message as a bytearray takes the general path.  Both must give the same
  events in the same order (Node's two ticks: the lookup, then the callback).
* pyuv (patched) hands the receive callback the previous datagram's address
  tuple again while the sender stays the same: alternating senders must
  still each get their own address in ``rinfo``.
* ``EventEmitter.on`` adds a first listener of a str event, and
  ``remove_listener`` removes an event's only listener, without the general
  path's frame when nobody listens to ``'newListener'``/``'removeListener'``:
  with those listeners, a leak warning, or a bad listener, the general path's
  behaviour stays.
"""

from __future__ import annotations

import socket
import warnings
from typing import Any

import pytest

import dgram_uv as dgram
from dgram_uv import errors
from dgram_uv.events import EventEmitter


def _send_order(message: Any, bind_first: bool) -> list[str]:
    log: list[str] = []
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(('127.0.0.1', 0))
    port = sink.getsockname()[1]
    sock = dgram.create_socket('udp4')

    def go() -> None:
        # The first send of a literal classifies it (general path); the rest
        # are the shapes the fast path takes when `message` is bytes.
        for n in range(3):
            sock.send(message, port, '127.0.0.1', lambda err, size, n=n: log.append(
                f'cb{n} {err} {size}'))
            dgram.next_tick(log.append, f'tick{n}')
        sock.send(message, port, lambda err, size: log.append(f'cb-default {err} {size}'))
        sock.send(message, port, '127.0.0.1')
        dgram.next_tick(log.append, 'tick-last')
        dgram.set_immediate(sock.close)

    if bind_first:
        sock.bind(0, go)
    else:
        go()
    dgram.run()
    sink.settimeout(1)
    received = [sink.recv(100) for _ in range(5)]
    sink.close()
    assert received == [bytes(message)] * 5
    return log


def test_fast_send_orders_events_like_the_general_path() -> None:
    fast = _send_order(b'abc', bind_first=True)
    general = _send_order(bytearray(b'abc'), bind_first=True)
    assert fast == general
    assert fast == ['tick0', 'tick1', 'tick2', 'tick-last',
                    'cb0 None 3', 'cb1 None 3', 'cb2 None 3', 'cb-default None 3']


def test_send_on_an_unbound_socket_is_unchanged() -> None:
    # Not bound yet: the general path (implicit bind, queued sends).
    assert _send_order(b'abc', bind_first=False) == _send_order(bytearray(b'abc'),
                                                                   bind_first=False)


def test_fast_send_rejects_what_the_general_path_rejects() -> None:
    sock = dgram.create_socket('udp4')
    errors: list[str] = []

    def go() -> None:
        cases: list[tuple[Any, ...]] = [(0, '127.0.0.1'), (70000, '127.0.0.1'),
                                        (True, '127.0.0.1'), (1234, []), (1234, 5)]
        for args in cases:
            try:
                sock.send(b'x', *args)
            except (TypeError, ValueError) as err:
                errors.append(getattr(err, 'code', ''))
        sock.close()
    sock.bind(0, '127.0.0.1', go)
    dgram.run()
    assert errors == ['ERR_SOCKET_BAD_PORT'] * 3 + ['ERR_INVALID_ARG_TYPE'] * 2


def test_rinfo_follows_alternating_senders() -> None:
    server = dgram.create_socket('udp4')
    server6 = dgram.create_socket('udp6')
    got: list[tuple[bytes, str, int, str]] = []
    senders = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
    sender6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    for s in senders:
        s.bind(('127.0.0.1', 0))
    sender6.bind(('::1', 0))

    def on_message(msg: bytes, rinfo: Any) -> None:
        got.append((msg, rinfo.address, rinfo.port, rinfo.family))
        if len(got) == 7:
            server.close()
            server6.close()

    def start() -> None:
        port, port6 = server.address().port, server6.address().port
        for i, n in enumerate((0, 0, 1, 0, 1)):
            senders[n].sendto(b'%d' % i, ('127.0.0.1', port))
        sender6.sendto(b'5', ('::1', port6))
        sender6.sendto(b'6', ('::1', port6))

    server.on('message', on_message)
    server6.on('message', on_message)
    server.bind(0, '127.0.0.1', lambda: server6.bind(0, '::1', start))
    dgram.run()
    ports = [s.getsockname()[1] for s in senders]
    port6 = sender6.getsockname()[1]
    for s in (*senders, sender6):
        s.close()
    assert got == [
        (b'0', '127.0.0.1', ports[0], 'IPv4'), (b'1', '127.0.0.1', ports[0], 'IPv4'),
        (b'2', '127.0.0.1', ports[1], 'IPv4'), (b'3', '127.0.0.1', ports[0], 'IPv4'),
        (b'4', '127.0.0.1', ports[1], 'IPv4'), (b'5', '::1', port6, 'IPv6'),
        (b'6', '::1', port6, 'IPv6')]


def test_emitter_fast_add_and_remove_keep_the_general_rules() -> None:
    seen: list[tuple[str, object, object]] = []
    e = EventEmitter()

    def f() -> None:
        pass
    e.on('x', f)                                   # fast add
    assert e.listeners('x') == [f]
    e.remove_listener('x', f)                      # fast remove
    assert e.listener_count('x') == 0 and e.event_names() == []
    e.on('newListener', lambda name, fn: seen.append(('new', name, fn)))
    e.on('removeListener', lambda name, fn: seen.append(('removed', name, fn)))
    e.on('x', f)
    e.remove_listener('x', f)
    assert seen[-2:] == [('new', 'x', f), ('removed', 'x', f)]
    with pytest.raises(errors.NodeError) as info:  # checked before any match
        e.on('y', 42)                              # type: ignore[arg-type]
    assert info.value.code == 'ERR_INVALID_ARG_TYPE'
    e2 = EventEmitter()
    e2.on('y', f)
    with pytest.raises(errors.NodeError) as info:
        e2.remove_listener('y', None)              # type: ignore[arg-type]
    assert info.value.code == 'ERR_INVALID_ARG_TYPE' and e2.listeners('y') == [f]


def test_emitter_removal_by_equal_bound_method_and_leak_rewarn() -> None:
    class Holder:
        def on_event(self) -> None:
            pass
    e, holder = EventEmitter(), Holder()
    e.on('x', holder.on_event)
    e.remove_listener('x', holder.on_event)        # equal, not identical
    assert e.listener_count('x') == 0
    e.set_max_listeners(1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        e.on('z', holder.on_event)
        e.on('z', holder.on_event)                 # warns once
        e.remove_listener('z', holder.on_event)
        e.remove_listener('z', holder.on_event)    # back to none: the mark goes
        e.on('z', holder.on_event)
        e.on('z', holder.on_event)                 # warns again, as Node does
    assert len([w for w in caught if 'memory leak' in str(w.message)]) == 2
