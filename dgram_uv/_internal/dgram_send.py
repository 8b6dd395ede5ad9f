"""lib/dgram.js's send path: ``doSend``/``afterSend``, and ``send_common``,
``Socket.send`` for its most common call.

``send(bytes, port, ip_literal[, callback])`` on a bound, unconnected socket
whose lookup is ``dns.lookup`` does what the general path does, in the same
order (the lookup of an IP literal completes on the next tick, then
``doSend``; the callback gets the next tick after that), without its argument
handling: it is checked and queued in one function.
"""

from __future__ import annotations

from threading import get_ident
from typing import Any

from .._binding import loop
from .._binding.udp_wrap import SendWrap
from . import errors
from .args import AnyCallback
from .dgram import BIND_STATE_BOUND, CONNECT_STATE_CONNECTED, SocketLike, blocked
from .dns import ip_families, lookup4, lookup6
from .jsvalues import truthy

__all__ = ['do_send', 'after_send', 'send_common', 'lookup_and_send']


def send_common(socket: SocketLike, msg: object, args: tuple[Any, ...]) -> bool:
    """``socket.send(msg, *args)`` when it is ``send(bytes, port[, address]
    [, callback])`` with an int port (1..65535) and an IP literal already seen
    (or no address) on a bound, unconnected socket with the default lookup:
    queues the lookup's tick (``do_send``) and returns True.  False: nothing
    done, the general path applies."""
    if type(msg) is not bytes:
        return False
    n = len(args)
    if n == 2:
        port, address = args
        callback = None
        if type(address) is not str:
            if address is not None and not callable(address):
                return False     # validated on the general path
            callback, address = address, None
    elif n == 3:
        port, address, callback = args
        if address is not None and type(address) is not str:
            return False         # validated (or a str subclass) on the general path
        if callback is not None and not callable(callback):
            return False         # Node's long form (offset, length, port)
    elif n == 1:
        port = args[0]
        address = callback = None
    else:
        return False
    if type(port) is not int or not 0 < port <= 0xFFFF:
        return False
    state = socket._state
    handle = state.handle
    if (handle is None or state.bind_state != BIND_STATE_BOUND
            or state.connect_state == CONNECT_STATE_CONNECTED):
        return False
    lookup = handle.lookup
    if lookup is lookup4:
        ip = address or '127.0.0.1'
    elif lookup is lookup6:
        ip = address or '::1'
    else:
        return False
    if not ip_families.get(ip):
        return False
    if loop._owner and (loop._outside or loop._owner != get_ident()):
        loop._guarded()     # loop.guard(), inlined: one per datagram
    loop.tick((do_send, (None, socket, ip, [msg], address, port, callback)))
    return True


def lookup_and_send(socket: SocketLike, buffers: list[Any], address: str | None, port: int,
                    callback: AnyCallback | None) -> None:
    """The general path's end: the handle's lookup of ``address``, then ``do_send``."""
    handle = socket._state.handle
    assert handle is not None and handle.lookup is not None
    handle.lookup(address, lambda ex, ip=None, *_: do_send(ex, socket, ip, buffers, address,
                                                          port, callback))


def do_send(ex: BaseException | None, socket: SocketLike, ip: str | None, buffers: list[Any],
            address: str | None, port: int | None, callback: AnyCallback | None) -> None:
    """Node's ``doSend``: ``uv_udp_try_send``/``uv_udp_send`` once the address
    is resolved; the callback on the next tick."""
    if ex is not None:
        if callback is not None:
            loop.next_tick(callback, ex)
        else:
            loop.next_tick(socket.emit, 'error', ex)
        return
    state = socket._state
    handle = state.handle
    if handle is None:
        return
    block_list = state.send_block_list
    if block_list is not None and ip is not None and blocked(block_list, ip):
        if callback is not None:
            loop.next_tick(callback, errors.ERR_IP_BLOCKED(ip))
        return
    # Node: `if (port)`, JS truthiness (a validated port is an int).
    to_port, to_ip = (port, ip) if (port if type(port) is int else truthy(port)) else (None, None)
    # The SendWrap's fields: the binding builds it only if the datagram queues.
    if callback is not None:
        err = handle.send((buffers, address, port, callback, after_send), buffers, len(buffers),
                          to_port, to_ip, True)
    else:
        err = handle.send(None, buffers, len(buffers), to_port, to_ip, False)
    if err >= 1:
        # Synchronous finish: the code is msg_length + 1, as in Node.  (The
        # thread was checked by send(); this runs in its lookup's tick or after.)
        if callback is not None:
            loop.tick((callback, (None, err - 1)))
        return
    if err and callback is not None:
        loop.next_tick(callback, errors.ExceptionWithHostPort(err, 'send', address, port))


def after_send(req: SendWrap, status: int, sent: int) -> None:
    """Node's ``afterSend``: a queued send completed (``req.oncomplete``)."""
    err = errors.ExceptionWithHostPort(status, 'send', req.address, req.port) if status else None
    assert req.callback is not None
    req.callback(err, sent)
