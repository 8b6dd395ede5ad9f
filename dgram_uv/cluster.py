"""Node's ``cluster`` module (lib/cluster.js, lib/internal/cluster/*) as far as dgram needs it.

A process is a cluster *worker* when its environment has ``NODE_UNIQUE_ID``
(its worker id), as in Node; any other process is the *primary*.  The primary
starts workers with ``fork()``: each re-runs the main program (``sys.orig_argv``:
the script, or the module of ``python -m``) with an IPC channel on fd 3
(Node's ``NODE_CHANNEL_FD``) carrying JSON lines (Node's ``serialization:
'json'``).  The channel is a ``uv_pipe_t`` opened with ``ipc=1``
(``pyuv.Pipe(loop, True)``); messages are written with ``uv_write`` and a
handle travels with ``uv_write2`` (``SCM_RIGHTS``), to be taken on the other
side with ``uv_pipe_pending_type`` and ``uv_accept``.

A worker that binds a dgram socket without ``exclusive`` asks the primary
(``_get_server`` -> ``queryServer``); the primary binds once per (address,
port, type, fd, index) and hands the same ``uv_udp_t`` to every worker that
asks (Node's ``SharedHandle``: UDP is never round-robin), so the workers share
one socket.  This module holds what both sides share (the channel, ``Worker``,
the message helpers of internal/cluster/utils) and the module's API;
``cluster_primary`` and ``cluster_child`` hold the two sides.

Python has no ``this`` and no ``undefined``: listeners get the worker as an
argument where Node passes it (``cluster.on('online', lambda worker: ...)``),
and a ``'message'`` listener gets ``(message)``, or ``(message, handle)`` when
a handle came with it (Node always passes a second, often undefined, argument).
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

import pyuv

from . import errors, loop, validators
from .events import EventEmitter
from .udp_wrap import UDP
from .uv import codes as _uv_codes

__all__ = [
    'is_primary', 'is_worker', 'is_master', 'worker', 'workers', 'settings', 'fork',
    'disconnect', 'setup_primary', 'Worker', 'emitter', 'on', 'once', 'off', 'emit',
    'SCHED_NONE', 'SCHED_RR', 'scheduling_policy',
    'isPrimary', 'isWorker', 'isMaster', 'setupPrimary', 'setupMaster', 'schedulingPolicy',
]

is_worker: bool = 'NODE_UNIQUE_ID' in os.environ
"""Node's ``cluster.isWorker``: this process was started by ``fork()``."""
is_primary: bool = not is_worker
is_master = is_primary   # Node's deprecated alias
isWorker, isPrimary, isMaster = is_worker, is_primary, is_master

SCHED_NONE = 1   # leave it to the operating system
SCHED_RR = 2     # the primary distributes connections (TCP only: UDP is always shared)
_policy = os.environ.get('NODE_CLUSTER_SCHED_POLICY')
scheduling_policy = SCHED_NONE if _policy == 'none' else SCHED_RR
schedulingPolicy = scheduling_policy

emitter = EventEmitter()
"""Node's ``cluster`` object is an EventEmitter; here the module's events live on this one:
``'fork'``, ``'online'``, ``'listening'``, ``'message'``, ``'disconnect'``, ``'exit'``,
``'setup'``.  ``cluster.on(...)`` and friends are its bound methods."""
on = add_listener = addListener = emitter.on
once = emitter.once
off = remove_listener = removeListener = emitter.remove_listener
remove_all_listeners = removeAllListeners = emitter.remove_all_listeners
prepend_listener = prependListener = emitter.prepend_listener
prepend_once_listener = prependOnceListener = emitter.prepend_once_listener
emit = emitter.emit
listeners = emitter.listeners
listener_count = listenerCount = emitter.listener_count

worker: Worker | None = None
"""In a worker, its own ``Worker`` (Node's ``cluster.worker``); None in the primary."""
workers: dict[int, Worker] = {}
"""In the primary, the live workers by id (Node's ``cluster.workers``)."""
settings: dict[str, Any] = {}
"""Node's ``cluster.settings``, filled by ``setup_primary``/``fork``."""


# --- errors of the IPC channel (Node's lib/internal/errors.js) -------------------------

class ERR_IPC_CHANNEL_CLOSED(errors.NodeError):  # noqa: N801 - Node's code is the name
    def __init__(self) -> None:
        super().__init__('Channel closed')


class ERR_IPC_DISCONNECTED(errors.NodeError):  # noqa: N801
    def __init__(self) -> None:
        super().__init__('IPC channel is already disconnected')


class ERR_INVALID_HANDLE_TYPE(errors.NodeTypeError):  # noqa: N801
    def __init__(self) -> None:
        super().__init__('This handle type cannot be sent')


# --- the IPC channel (Node's setupChannel in lib/internal/child_process.js) -------------

_MISSING: Any = object()   # Node's `undefined` for an omitted message
_WRITE_ERRORS = (pyuv.error.UVError, pyuv.error.HandleClosedError)


def _status(err: Exception) -> int:
    args = getattr(err, 'args', ())
    return int(args[0]) if args and isinstance(args[0], int) else _uv_codes['UV_EINVAL']


def _is_internal(message: object) -> bool:
    # Node: an object whose string `cmd` starts with 'NODE_' (and is longer).
    cmd = message.get('cmd') if isinstance(message, Mapping) else None
    return isinstance(cmd, str) and len(cmd) > 5 and cmd.startswith('NODE_')


def _to_json(value: Any) -> Any:
    """What ``JSON.stringify`` keeps: a function is left out of an object and is
    null in an array; a Buffer is ``{type: 'Buffer', data: [...]}``."""
    if isinstance(value, Mapping):
        return {str(k): _to_json(v) for k, v in value.items() if not callable(v)}
    if isinstance(value, (list, tuple)):
        return [None if callable(v) else _to_json(v) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {'type': 'Buffer', 'data': list(bytes(value))}
    return value


class IpcProcess(EventEmitter):
    """One end of the IPC channel: what Node's ``setupChannel`` adds to a process.

    ``send(message, handle, options, callback)``, ``disconnect()``, ``connected``,
    events ``'message'``, ``'internalMessage'`` (messages whose ``cmd`` starts
    with ``NODE_``), ``'disconnect'``, ``'error'``.  Reading is ``uv_read_start``
    on the pipe; a chunk is split into JSON lines; handles that came with it
    (``uv_pipe_pending_type``) are taken with ``uv_accept`` into a new
    ``uv_udp_t`` and delivered with their ``NODE_HANDLE`` message.  The pipe is
    referenced while ``_refs`` > 0 (Node's ``Control.refCounted``): a write in
    progress counts, and in a worker so do ``'message'``/``'disconnect'`` listeners.
    """

    def __init__(self, pipe: pyuv.Pipe) -> None:
        super().__init__()
        self.connected = True
        self.channel: pyuv.Pipe | None = pipe   # Node's target.channel: None once disconnected
        self.exit_code: int | None = None
        self.signal_code: str | None = None
        self._pipe = pipe
        self._refs = 0
        self._ref_explicit = False
        self._buffer = b''
        self._received: deque[pyuv.UDP] = deque()
        self._pending_messages: list[tuple[str, tuple[Any, ...]]] = []
        self.on('internalMessage', self._on_handle_message)
        self.on('newListener', self._flush_pending_soon)
        pipe.start_read(self._read_cb)

    # --- reference counting (Node's Control) -------------------------------------------
    def _ref_counted(self) -> None:
        self._refs += 1
        if self._refs == 1 and not self._ref_explicit:
            self._set_ref(True)

    def _unref_counted(self) -> None:
        self._refs -= 1
        if self._refs == 0 and not self._ref_explicit:
            self._set_ref(False)

    def _set_ref(self, on: bool) -> None:
        if not self._pipe.closed:
            self._pipe.ref = on    # uv_ref / uv_unref

    def ref(self) -> None:
        """Node's ``channel.ref()``: the channel keeps the loop alive, whatever the count."""
        self._ref_explicit = True
        self._set_ref(True)

    def unref(self) -> None:
        """Node's ``channel.unref()``."""
        self._ref_explicit = True
        self._set_ref(False)

    # --- reading -------------------------------------------------------------------------
    def _read_cb(self, handle: pyuv.Pipe, data: bytes | None, error: int | None) -> None:
        loop.make_callback(self._on_read, data)

    def _on_read(self, data: bytes | None) -> None:
        if data is None:   # UV_EOF or a read error: the other side is gone
            if self.connected:
                self.disconnect()
            self._close_pipe()
            return
        pipe = self._pipe
        while not pipe.closed and pipe.pending_handle_type() == pyuv.UV_UDP:
            accepted = pyuv.UDP(loop.get_loop())
            pipe.accept(accepted)   # uv_accept: uv_udp_open on the received fd
            self._received.append(accepted)
        *lines, self._buffer = (self._buffer + data).split(b'\n')
        for line in lines:
            if not line.strip():
                continue
            message = json.loads(line)
            if _is_internal(message):
                handle = None
                if message['cmd'] == 'NODE_HANDLE' and self._received:
                    handle = UDP.from_pyuv(self._received.popleft())
                self._handle_message(message, handle, True)
            else:
                self._handle_message(message, None, False)

    def _handle_message(self, message: Any, handle: Any, internal: bool) -> None:
        if self.channel is None:
            return
        loop.next_tick(self._emit_message, 'internalMessage' if internal else 'message',
                       message, handle)

    def _emit_message(self, event: str, message: Any, handle: Any) -> None:
        args = (message,) if handle is None and event == 'message' else (message, handle)
        if event == 'internalMessage' or self.listener_count('message'):
            self.emit(event, *args)
        elif self.channel is not None:
            self._pending_messages.append((event, args))

    def _flush_pending_soon(self, event: object, listener: object) -> None:
        def flush() -> None:
            if self.channel is None or not self.listener_count('message'):
                return
            pending, self._pending_messages = self._pending_messages, []
            for name, args in pending:
                self.emit(name, *args)
        loop.next_tick(flush)

    def _on_handle_message(self, message: Any, handle: Any = None) -> None:
        # Node's 'NODE_HANDLE' internalMessage listener with handleConversion's got().
        if message.get('cmd') != 'NODE_HANDLE' or handle is None:
            return
        inner = message.get('msg')
        if message.get('type') == 'dgram.Socket':
            from .dgram import Socket
            socket = Socket(message.get('dgramType'))
            socket.bind(handle, lambda: self._handle_message(inner, socket, _is_internal(inner)))
            return
        self._handle_message(inner, handle, _is_internal(inner))

    # --- writing -------------------------------------------------------------------------
    def send(self, message: Any = _MISSING, handle: Any = None, options: Any = None,
             callback: Any = None) -> bool:
        """Node's ``process.send(message[, handle][, options][, callback])``.

        ``message`` becomes one JSON line; ``handle`` (a ``udp_wrap.UDP`` or a
        dgram ``Socket``) travels with it through ``uv_write2``.  ``callback(err)``
        runs once the write is done; on a closed channel it gets
        ``ERR_IPC_CHANNEL_CLOSED`` (or ``'error'`` is emitted).  Returns False
        when the channel is closed or the write queue is long.
        """
        if callable(handle):
            callback, handle, options = handle, None, None
        elif callable(options):
            callback, options = options, None
        elif options is not None:
            validators.validate_object(options, 'options')
        swallow = bool(options and options.get('swallowErrors'))
        if self.connected:
            return self._send(message, handle, swallow, callback)
        ex = ERR_IPC_CHANNEL_CLOSED()
        if callable(callback):
            loop.next_tick(callback, ex)
        else:
            loop.next_tick(self.emit, 'error', ex)
        return False

    def _send(self, message: Any, handle: Any = None, swallow: bool = False,
              callback: Any = None) -> bool:
        if message is _MISSING:
            raise errors.ERR_MISSING_ARGS('message')
        if not isinstance(message, (str, int, float, Mapping, list, tuple)) and message is not None:
            raise errors.ERR_INVALID_ARG_TYPE('message', ['string', 'object', 'number', 'boolean'],
                                              message)
        send_handle = None
        if handle is not None:
            from .dgram import Socket
            wrapped: dict[str, Any] = {'cmd': 'NODE_HANDLE', 'type': None, 'msg': message}
            if isinstance(handle, Socket):
                wrapped.update(type='dgram.Socket', dgramType=handle.type)
                inner = handle._state.handle
            elif isinstance(handle, UDP):
                wrapped['type'] = 'dgram.Native'
                inner = handle
            else:
                raise ERR_INVALID_HANDLE_TYPE()
            # A handle that cannot be sent (closed): the message goes alone, as in Node.
            if inner is not None and not inner._handle.closed:
                send_handle = inner._handle
                message = wrapped
        data = (json.dumps(_to_json(message), separators=(',', ':'), ensure_ascii=False)
                + '\n').encode()

        def on_written(pipe: pyuv.Pipe, error: int | None) -> None:
            loop.make_callback(after_write)

        def after_write() -> None:
            self._unref_counted()
            if callable(callback):
                callback(None)
        try:
            if send_handle is not None:
                self._pipe.write(data, on_written, send_handle)   # uv_write2
            else:
                self._pipe.write(data, on_written)                # uv_write
        except _WRITE_ERRORS as err:
            if not swallow:
                ex = errors.ErrnoException(_status(err), 'write')
                if callable(callback):
                    loop.next_tick(callback, ex)
                else:
                    loop.next_tick(self.emit, 'error', ex)
            return False
        # Node's IPC writes always count as asynchronous (no uv_try_write on IPC pipes).
        self._ref_counted()
        return bool(self._pipe.write_queue_size < 65536 * 2)

    # --- disconnecting -------------------------------------------------------------------
    def disconnect(self) -> None:
        """Node's ``process.disconnect()``: close the channel; ``'disconnect'`` on the next tick."""
        if not self.connected:
            self.emit('error', ERR_IPC_DISCONNECTED())
            return
        self.connected = False
        self._disconnect()

    def _disconnect(self) -> None:
        self.channel = None

        def finish() -> None:
            self._close_pipe()
            self.emit('disconnect')
        loop.next_tick(finish)

    def _close_pipe(self) -> None:
        self.channel = None
        if not self._pipe.closed:
            self._pipe.close()    # uv_close
        while self._received:
            self._received.popleft().close()


# --- internal/cluster/utils: NODE_CLUSTER messages and their acknowledgements ----------

_callbacks: dict[int, Callable[..., Any]] = {}
_seq = 0


def send_helper(proc: IpcProcess, message: Mapping[str, Any], handle: Any = None,
                callback: Callable[..., Any] | None = None) -> bool:
    """Node's ``sendHelper``: a ``NODE_CLUSTER`` message; ``callback(reply, handle)``
    runs when a message with ``ack`` equal to its ``seq`` comes back."""
    global _seq
    if not proc.connected:
        return False
    full = {'cmd': 'NODE_CLUSTER', **message, 'seq': _seq}
    if callable(callback):
        _callbacks[_seq] = callback
    _seq += 1
    return proc.send(full, handle)


def internal(cb: Callable[[Any, Any], Any]) -> Callable[..., None]:
    """Node's ``internal(worker, cb)``: an ``'internalMessage'`` listener that hands
    NODE_CLUSTER messages to ``cb(message, handle)``, or an ack to its callback."""
    def on_internal_message(message: Any, handle: Any = None) -> None:
        if message.get('cmd') != 'NODE_CLUSTER':
            return
        fn = cb
        if message.get('ack') is not None:
            callback = _callbacks.pop(message['ack'], None)
            if callback is not None:
                fn = callback
        fn(message, handle)
    return on_internal_message


# --- Worker (internal/cluster/worker) -----------------------------------------------

class Worker(EventEmitter):
    """Node's ``cluster.Worker``: ``id``, ``process``, ``state``, ``exited_after_disconnect``;
    ``send``, ``kill``, ``disconnect``, ``is_dead``, ``is_connected``.  Events
    ``'online'``, ``'listening'`` (address), ``'message'``, ``'disconnect'``,
    ``'exit'`` (code, signal), ``'error'``."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        options = options if isinstance(options, Mapping) else {}
        self._exited_after_disconnect: bool | None = None
        self.state: str = options.get('state') or 'none'
        try:
            self.id = int(options.get('id') or 0) & 0xFFFFFFFF
        except (TypeError, ValueError):
            self.id = 0
        if self.id >= 2 ** 31:
            self.id -= 2 ** 32   # `options.id | 0`
        self.process: Any = options.get('process')
        if self.process is not None:
            self.process.on('error', lambda *args: self.emit('error', *args))
            self.process.on('message', lambda *args: self.emit('message', *args))

    @property
    def exited_after_disconnect(self) -> bool | None:
        """True when the worker left through ``disconnect()``/``kill()`` (None until known)."""
        return self._exited_after_disconnect

    @exited_after_disconnect.setter
    def exited_after_disconnect(self, value: bool | None) -> None:
        self._exited_after_disconnect = value

    def kill(self, *args: Any) -> None:
        """Node's ``worker.kill([signal])``: ``destroy``."""
        self.destroy(*args)

    def send(self, *args: Any, **kwargs: Any) -> bool:
        """``worker.send(message[, handle][, options][, callback])``: its process's ``send``."""
        return bool(self.process.send(*args, **kwargs))

    def is_dead(self) -> bool:
        """The process has exited (it has an exit code or a signal)."""
        return self.process.exit_code is not None or self.process.signal_code is not None

    def is_connected(self) -> bool:
        """The IPC channel is open."""
        return bool(self.process.connected)

    def disconnect(self) -> Worker:
        """Primary: ask the worker to close its servers and the channel; worker: do it."""
        _side().disconnect_worker(self)
        return self

    def destroy(self, signo: Any = None) -> None:
        """Primary: ``process.kill(signo or 'SIGTERM')``; worker: disconnect and exit."""
        _side().destroy_worker(self, signo)


def _side() -> ModuleType:
    if is_worker:
        from . import cluster_child
        return cluster_child
    from . import cluster_primary
    return cluster_primary


# --- the module's API -------------------------------------------------------------------

def _primary() -> ModuleType:
    if is_worker:
        raise TypeError('this function exists only in the cluster primary')
    from . import cluster_primary
    return cluster_primary


def setup_primary(options: Mapping[str, Any] | None = None) -> None:
    """Node's ``cluster.setupPrimary(settings)``: ``exec``, ``args``, ``execArgv``,
    ``cwd``, ``silent`` for later forks; emits ``'setup'`` on the next tick."""
    _primary().setup_primary(options)


def fork(env: Mapping[str, Any] | None = None) -> Worker:
    """Node's ``cluster.fork([env])``: start a worker running this program."""
    result: Worker = _primary().fork(env)
    return result


def disconnect(callback: Callable[[], Any] | None = None) -> None:
    """Node's ``cluster.disconnect([callback])``: disconnect every worker."""
    _primary().disconnect(callback)


def _get_server(obj: Any, options: Mapping[str, Any], cb: Callable[[Any, Any], Any]) -> None:
    """Node's ``cluster._getServer`` (worker only): ask the primary for the bound handle
    of ``options``; ``cb(errno, handle)`` with a libuv status and a ``udp_wrap.UDP``."""
    from . import cluster_child
    cluster_child.get_server(obj, options, cb)


setupPrimary = setupMaster = setup_primary
_getServer = _get_server

if is_worker:
    from . import cluster_child  # noqa: F401 - sets the worker up (at its end)
