"""The trace of libuv at work (``dgram_uv.trace``): what writes the lines.

Nothing here runs unless tracing is on.  ``install`` replaces, for as long as
tracing lasts, the few places where Python meets libuv with traced twins, and
``uninstall`` puts the originals back (the same objects):

* ``udp_wrap.UDP.__init__`` makes each new UDPWrap on a ``TracedUDP``, a
  ``pyuv.UDP`` whose methods write the libuv call, its arguments and its
  status, and whose callbacks write the callback;
* the ``uv_compat`` functions (the libuv calls pyuv lacks) and
  ``pyuv.dns.getaddrinfo``;
* the loop's and the timers' own handles (the shared ``uv_timer_t``, the
  immediates' ``uv_check_t`` and ``uv_idle_t``, the ``uv_prepare_t``, the SIGINT
  ``uv_signal_t``), each through a ``HandleProxy`` in the module's global;
* ``loop._sigint_watched`` (it brackets the iterations of ``run()``) and
  ``loop._after_iteration`` (called between two of them) number the iterations;
* with ``ticks``: ``loop.tick`` (every next tick goes through it) and the
  constructors of Immediate and Timeout.

So the untraced send and receive paths test no flag: a socket made while
tracing is off has a plain ``pyuv.UDP``.  The phases are seen through one
unreferenced ``uv_prepare_t`` (the poll comes next) and one unreferenced
``uv_check_t``: neither keeps the loop alive nor changes a poll timeout.
"""

from __future__ import annotations

import contextlib
import signal as _signal
import socket
from collections.abc import Callable, Iterator
from typing import Any, TextIO

import pyuv

from . import loop, timers, udp_wrap, uv_compat
from . import trace_log as log
from .uv import status_of

__all__ = ['install', 'uninstall', 'installed', 'HandleProxy', 'TracedUDP']

_HANDLE_REF: Any = pyuv.Handle.ref
_CALLBACK_PHASE = {'timer': log.TIMERS, 'signal': log.IO, 'check': log.CHECK,
                   'idle': log.IDLE, 'prepare': log.PREPARE}


class HandleProxy:
    """One of the loop's or the timers' own handles, traced: it stands in the
    module's global for as long as tracing lasts."""

    __slots__ = ('_raw', '_kind', '_name')

    def __init__(self, raw: Any, kind: str) -> None:
        object.__setattr__(self, '_raw', raw)
        object.__setattr__(self, '_kind', kind)
        object.__setattr__(self, '_name', log.new_name(kind))

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._raw, attr)

    def __setattr__(self, attr: str, value: Any) -> None:
        if attr == 'ref':
            raw = self._raw
            log.set_ref(self._name, lambda: bool(raw.ref), lambda v: setattr(raw, 'ref', v),
                        value)
        else:
            setattr(self._raw, attr, value)

    def start(self, callback: Callable[..., Any], *args: Any) -> None:
        kind: str = self._kind
        name: str = self._name
        if kind == 'timer':
            # pyuv takes seconds and hands libuv whole milliseconds.
            timeout = int(args[0] * 1000)
            detail = f'{name}, timeout={timeout}, repeat={int(args[1] * 1000)}'
            log.state.timer_due = float(self._raw.loop.now()) + timeout
        elif kind == 'signal':
            detail = f'{name}, signum={_signal.Signals(args[0]).name}'
        else:
            detail = name

        def describe(handle: Any, *rest: Any) -> str:
            return name + (f', signum={rest[0]}' if rest else '')
        traced = log.traced_callback(_CALLBACK_PHASE[kind], f'{kind}_cb', describe, callback)
        try:
            self._raw.start(traced, *args)
        except Exception as err:
            log.call(f'uv_{kind}_start', detail, status_of(err))
            raise
        log.call(f'uv_{kind}_start', detail, 0)

    def stop(self) -> None:
        self._raw.stop()
        log.call(f'uv_{self._kind}_stop', self._name, 0)


# --- the UDP handle ------------------------------------------------------------

def _on_fd(fd: int) -> str:
    name = log.state.fds.get(fd)
    return f'{name}, fd={fd}' if name else f'fd={fd}'


class TracedUDP(pyuv.UDP):
    """A ``uv_udp_t`` whose libuv calls and callbacks are written to the trace."""

    def __init__(self, uv_loop: pyuv.Loop) -> None:
        super().__init__(uv_loop)
        self._trace_name = log.new_name('udp')
        log.call('uv_udp_init', f'loop, {self._trace_name}', 0)

    def _fd(self) -> int:
        try:
            fd = int(pyuv.UDP.fileno(self))
        except (pyuv.error.UDPError, pyuv.error.HandleClosedError):
            return -1
        log.state.fds[fd] = self._trace_name
        return fd

    def _h(self) -> str:
        # The fd after the call: libuv makes the socket in uv_udp_bind.
        return f'{self._trace_name}, fd={self._fd()}'

    def _traced(self, name: str, args: str, method: Callable[..., Any], *values: Any,
                counts: bool = False) -> Any:
        """Call the pyuv method; the status is 0, the failure's, or (``counts``)
        the count the call returns."""
        try:
            result = method(self, *values)
        except Exception as err:
            log.call(name, self._h() + args, status_of(err))
            raise
        log.call(name, self._h() + args, int(result) if counts else 0,
                 f'name={log.addr(result)}' if name == 'uv_udp_getsockname' else '')
        return result

    def bind(self, addr: Any, flags: int = 0) -> None:
        self._traced('uv_udp_bind', f', addr={log.addr(addr)}, flags={log.flags(flags)}',
                     pyuv.UDP.bind, addr, flags)

    def open(self, fd: int) -> None:
        self._traced('uv_udp_open', '', pyuv.UDP.open, fd)

    def try_send(self, addr: Any, data: Any) -> Any:
        return self._traced('uv_udp_try_send',
                            f', nbytes={log.nbytes(data)}, addr={log.addr(addr)}',
                            pyuv.UDP.try_send, addr, data, counts=True)

    def send(self, addr: Any, data: Any, callback: Callable[..., Any] | None = None) -> None:
        req = log.new_name('udp_send')
        args = f', nbytes={log.nbytes(data)}, addr={log.addr(addr)}'
        traced = None if callback is None else log.traced_callback(
            log.IO, 'send_cb', lambda handle, error: f'{req}, status={log.status(error or 0)}',
            callback)
        try:
            pyuv.UDP.send(self, addr, data, traced)
        except Exception as err:
            log.call('uv_udp_send', f'{req}, {self._h()}{args}', status_of(err))
            raise
        log.call('uv_udp_send', f'{req}, {self._h()}{args}', 0)

    def start_recv(self, callback: Callable[..., Any]) -> None:
        name = self._trace_name

        def describe(handle: Any, addr: Any, flags: int, data: Any, error: int | None) -> str:
            nread = log.status(error) if error is not None else str(log.nbytes(data))
            return f'{name}, nread={nread}, addr={log.addr(addr)}, flags={flags}'
        self._traced('uv_udp_recv_start', '', pyuv.UDP.start_recv,
                     log.traced_callback(log.IO, 'recv_cb', describe, callback))

    def stop_recv(self) -> None:
        self._traced('uv_udp_recv_stop', '', pyuv.UDP.stop_recv)

    def getsockname(self) -> Any:
        return self._traced('uv_udp_getsockname', '', pyuv.UDP.getsockname)

    def set_membership(self, multicast: str, membership: int, *interface: str) -> None:
        self._traced('uv_udp_set_membership',
                     f', multicast_addr={multicast}, interface_addr='
                     f'{interface[0] if interface else "NULL"}, '
                     f'membership={log.membership(membership)}',
                     pyuv.UDP.set_membership, multicast, membership, *interface)

    def set_multicast_interface(self, *interface: str) -> None:
        self._traced('uv_udp_set_multicast_interface',
                     f', interface_addr={interface[0] if interface else "NULL"}',
                     pyuv.UDP.set_multicast_interface, *interface)

    def set_multicast_loop(self, on: bool) -> None:
        self._traced('uv_udp_set_multicast_loop', f', on={int(on)}',
                     pyuv.UDP.set_multicast_loop, on)

    def set_multicast_ttl(self, ttl: int) -> None:
        self._traced('uv_udp_set_multicast_ttl', f', ttl={ttl}', pyuv.UDP.set_multicast_ttl, ttl)

    def set_broadcast(self, on: bool) -> None:
        self._traced('uv_udp_set_broadcast', f', on={int(on)}', pyuv.UDP.set_broadcast, on)

    def set_ttl(self, ttl: int) -> None:
        self._traced('uv_udp_set_ttl', f', ttl={ttl}', pyuv.UDP.set_ttl, ttl)

    def close(self, callback: Callable[..., Any] | None = None) -> None:
        name, fd = self._trace_name, self._fd()

        def on_close(handle: Any) -> None:
            log.state.closing -= 1
            if callback is not None:
                callback(handle)
        pyuv.UDP.close(self, log.traced_callback(log.CLOSING, 'close_cb', lambda h: name,
                                                 on_close))
        log.state.fds.pop(fd, None)
        log.state.closing += 1
        log.call('uv_close', f'{name}, fd={fd}')

    def _buffer_size(self, libuv_name: str, attr: str, value: int) -> int:
        # uv_*_buffer_size(handle, &value): 0 reads the size into value, more sets it.
        descriptor: Any = getattr(pyuv.UDP, attr)
        args = f'{self._trace_name}, fd={self._fd()}, value={value}'
        try:
            if value:
                descriptor.__set__(self, value)
                size = value
            else:
                size = int(descriptor.__get__(self, pyuv.UDP))
        except Exception as err:
            log.call(libuv_name, args, status_of(err))
            raise
        log.call(libuv_name, args, 0, '' if value else f'value={size}')
        return size

    @property
    def receive_buffer_size(self) -> int:
        return self._buffer_size('uv_recv_buffer_size', 'receive_buffer_size', 0)

    @receive_buffer_size.setter
    def receive_buffer_size(self, value: int) -> None:
        self._buffer_size('uv_recv_buffer_size', 'receive_buffer_size', value)

    @property
    def send_buffer_size(self) -> int:
        return self._buffer_size('uv_send_buffer_size', 'send_buffer_size', 0)

    @send_buffer_size.setter
    def send_buffer_size(self, value: int) -> None:
        self._buffer_size('uv_send_buffer_size', 'send_buffer_size', value)

    @property
    def ref(self) -> bool:
        return bool(_HANDLE_REF.__get__(self, pyuv.UDP))

    @ref.setter
    def ref(self, value: bool) -> None:
        log.set_ref(self._trace_name, lambda: bool(_HANDLE_REF.__get__(self, pyuv.UDP)),
                    lambda v: _HANDLE_REF.__set__(self, v), value)


def _udp_init(original: Callable[..., None]) -> Callable[..., None]:
    def __init__(self: udp_wrap.UDP, family: int = socket.AF_INET,
                 handle: pyuv.UDP | None = None) -> None:
        # A handle a cluster worker received over IPC stays untraced.
        original(self, family, TracedUDP(udp_wrap._loop) if handle is None else handle)
    return __init__


# --- calls made on an fd (uv_compat) and name lookups ----------------------------

def _compat_connect(original: Callable[..., int]) -> Callable[..., int]:
    def connect(fd: int, ip: str, port: int) -> int:
        code = original(fd, ip, port)
        log.call('uv_udp_connect', f'{_on_fd(fd)}, addr={log.ip_addr(ip, port)}', code)
        return code
    return connect


def _compat_disconnect(original: Callable[..., int]) -> Callable[..., int]:
    def disconnect(fd: int) -> int:
        code = original(fd)
        log.call('uv_udp_connect', f'{_on_fd(fd)}, addr=NULL', code)
        return code
    return disconnect


def _compat_getpeername(original: Callable[..., Any]) -> Callable[..., Any]:
    def getpeername(fd: int) -> Any:
        peer = original(fd)
        if isinstance(peer, int):
            log.call('uv_udp_getpeername', _on_fd(fd), peer)
        else:
            log.call('uv_udp_getpeername', _on_fd(fd), 0, f'name={log.addr(tuple(peer))}')
        return peer
    return getpeername


def _compat_source_membership(original: Callable[..., int]) -> Callable[..., int]:
    def set_source_membership(fd: int, multicast: str, interface: str | None, source: str,
                              membership: int) -> int:
        code = original(fd, multicast, interface, source, membership)
        log.call('uv_udp_set_source_membership',
                 f'{_on_fd(fd)}, multicast_addr={multicast}, interface_addr='
                 f'{interface or "NULL"}, source_addr={source}, '
                 f'membership={log.membership(membership)}', code)
        return code
    return set_source_membership


def _compat_try_send(original: Callable[..., int]) -> Callable[..., int]:
    def try_send(fd: int, buffers: list[memoryview], addr: Any) -> int:
        # More buffers than IOV_MAX: uv_udp_try_send's sendmsg(2), made on the fd.
        code = original(fd, buffers, addr)
        log.call('uv_udp_try_send', f'{_on_fd(fd)}, nbufs={len(buffers)}, '
                 f'nbytes={log.nbytes(buffers)}, addr={log.addr(addr)}', code)
        return code
    return try_send


def _compat_bind_reuseport(original: Callable[..., int]) -> Callable[..., int]:
    def bind_reuseport(addr: Any, family: int, flags: int, fd: int = -1) -> int:
        # libuv 1.49 binds with SO_REUSEPORT itself; here an unbound handle's
        # socket is made first and given to uv_udp_open (the next line).
        result = original(addr, family, flags, fd)
        log.call('uv_udp_bind', f'fd={fd if fd >= 0 else max(result, -1)}, '
                 f'addr={log.addr(tuple(addr))}, flags={log.flags(flags)}', min(result, 0))
        return result
    return bind_reuseport


_FAMILY = {int(socket.AF_UNSPEC): 'AF_UNSPEC', int(socket.AF_INET): 'AF_INET',
           int(socket.AF_INET6): 'AF_INET6'}


def _getaddrinfo(original: Callable[..., Any]) -> Callable[..., Any]:
    def getaddrinfo(uv_loop: pyuv.Loop, host: str | bytes, port: Any = None, family: int = 0,
                    socktype: int = 0, protocol: int = 0, flags: int = 0,
                    callback: Callable[..., Any] | None = None) -> Any:
        req = log.new_name('getaddrinfo')

        def describe(result: Any, error: int | None) -> str:
            found = ','.join(str(entry.sockaddr[0]) for entry in result or ())
            return f'{req}, status={log.status(error or 0)}, res={found or "NULL"}'
        traced = None if callback is None else log.traced_callback(
            log.IO, 'getaddrinfo_cb', describe, callback)
        # The name as libuv gets it: Node's IDNA form, in bytes.
        node = host.decode('ascii', 'replace') if isinstance(host, bytes) else host
        args = (f'loop, {req}, node={node}, service={"NULL" if port is None else port}, '
                f'family={_FAMILY.get(int(family), str(family))}')
        try:
            result = original(uv_loop, host, port, family, socktype, protocol, flags, traced)
        except Exception as err:
            log.call('uv_getaddrinfo', args, status_of(err))
            raise
        log.call('uv_getaddrinfo', args, 0)
        return result
    return getaddrinfo


# --- run()'s iterations ----------------------------------------------------------

def _sigint_watched(original: Callable[[], Any]) -> Callable[[], Any]:
    @contextlib.contextmanager
    def watched() -> Iterator[None]:
        # run() holds this around its uv_run(UV_RUN_ONCE) calls: the loop proper.
        log.new_iteration()
        log.write('loop', 'start')
        with original():
            try:
                yield
            finally:
                log.finish_iteration()
        # uv_loop_alive: an active referenced handle or request, or a closing handle.
        log.write('loop', f'end alive={int(loop.get_loop().alive)}')
    return watched


def _after_iteration(original: Callable[[], None]) -> Callable[[], None]:
    def after_iteration() -> None:
        log.finish_iteration()
        log.new_iteration()
        # libuv runs the prepare handle started last first: restarting the
        # trace's before the timers' keeps it last, right before the poll.
        if _own_prepare is not None:
            _own_prepare.stop()
            _own_prepare.start(log.on_prepare)
        original()
    return after_iteration


# --- next ticks, immediates and timeouts (``ticks``) ---------------------------------

def _runner(kind: str, callback: Callable[..., Any], args: tuple[Any, ...]
            ) -> Callable[..., Any]:
    text = f'{log.callable_name(callback)}({", ".join(log.brief(arg) for arg in args)})'
    log.write(kind, f'queue {text}')

    def run(*values: Any) -> Any:
        log.write(kind, f'run {text}')
        return callback(*values)
    return run


def _tick(original: Callable[..., None]) -> Callable[..., None]:
    def tick(entry: tuple[Callable[..., Any], tuple[Any, ...]]) -> None:
        callback, args = entry
        original((_runner('tick', callback, args), args))
    return tick


def _immediate_init(original: Callable[..., None]) -> Callable[..., None]:
    def __init__(self: timers.Immediate, callback: Callable[..., Any],
                 args: tuple[Any, ...]) -> None:
        original(self, _runner('immediate', callback, args), args)
    return __init__


def _timeout_init(original: Callable[..., None]) -> Callable[..., None]:
    def __init__(self: timers.Timeout, callback: Callable[..., Any], delay: float,
                 args: tuple[Any, ...], repeat: bool) -> None:
        original(self, _runner('timeout', callback, args), delay, args, repeat)
    return __init__


# --- install, uninstall -------------------------------------------------------------

_patches: list[tuple[object, str, Any]] = []
_own_prepare: pyuv.Prepare | None = None
_own_check: pyuv.Check | None = None


def _patch(owner: object, attr: str, make: Callable[[Any], Any]) -> None:
    original = getattr(owner, attr)
    _patches.append((owner, attr, original))
    setattr(owner, attr, make(original))


def _proxy(kind: str) -> Callable[[Any], HandleProxy]:
    return lambda raw: HandleProxy(raw, kind)


def installed() -> bool:
    return log.state.on


def install(out: TextIO | None, ticks: bool) -> None:
    """Start tracing to ``out`` (None: ``sys.stderr`` at each line)."""
    global _own_prepare, _own_check
    uninstall()
    state = log.state
    state.on, state.out, state.ticks = True, out, ticks
    # Each trace counts iterations, handles and requests from its start.
    state.iteration = state.phase = state.closing = 0
    state.polled = state.ran_pending = False
    state.timer_due = None
    state.counters.clear()
    state.fds.clear()
    _patch(udp_wrap.UDP, '__init__', _udp_init)
    _patch(uv_compat, 'connect', _compat_connect)
    _patch(uv_compat, 'disconnect', _compat_disconnect)
    _patch(uv_compat, 'getpeername', _compat_getpeername)
    _patch(uv_compat, 'set_source_membership', _compat_source_membership)
    _patch(uv_compat, 'bind_reuseport', _compat_bind_reuseport)
    _patch(uv_compat, 'try_send', _compat_try_send)
    _patch(pyuv.dns, 'getaddrinfo', _getaddrinfo)
    _patch(timers, '_timer_handle', _proxy('timer'))
    _patch(timers, '_prepare_handle', _proxy('prepare'))
    _patch(timers, '_check_handle', _proxy('check'))
    _patch(timers, '_idle_handle', _proxy('idle'))
    _patch(loop, '_sigint_handle', _proxy('signal'))
    _patch(loop, '_sigint_watched', _sigint_watched)
    _patch(loop, '_after_iteration', _after_iteration)
    if ticks:
        _patch(loop, 'tick', _tick)
        _patch(timers.Immediate, '__init__', _immediate_init)
        _patch(timers.Timeout, '__init__', _timeout_init)
    # The trace's own handles, unreferenced: they never keep the loop alive.
    _own_prepare = pyuv.Prepare(loop.get_loop())
    _own_prepare.start(log.on_prepare)
    _own_prepare.ref = False
    _own_check = pyuv.Check(loop.get_loop())
    _own_check.start(log.on_check)
    _own_check.ref = False


def uninstall() -> None:
    """Stop tracing: every replaced function and handle is the original again."""
    global _own_prepare, _own_check
    if not log.state.on:
        return
    log.state.on = False
    while _patches:
        owner, attr, original = _patches.pop()
        setattr(owner, attr, original)
    for handle in (_own_prepare, _own_check):
        if handle is not None and not handle.closed:
            handle.close()
    _own_prepare = _own_check = None
    log.state.out = None
