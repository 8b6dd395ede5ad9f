"""Node's IPC channel (``setupChannel`` in lib/internal/child_process.js).

``IpcProcess`` is one end of a channel: a ``uv_pipe_t`` opened with ``ipc=1``
(``pyuv.Pipe(loop, True)``) carrying JSON lines (Node's ``serialization:
'json'``); a handle travels with a message through ``uv_write2``
(``SCM_RIGHTS``) and is taken on the other side with ``uv_pipe_pending_type``
and ``uv_accept``.  ``handle_conversion`` is Node's table of what can be sent:
``'dgram.Native'`` (a ``udp_wrap.UDP``) here, ``'dgram.Socket'`` registered by
``dgram`` itself.
"""

from __future__ import annotations

import json
import socket as _socket
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import pyuv

from .._binding import loop
from .._binding.udp_wrap import UDP
from .._binding.uv import status_of
from . import errors, validators
from .args import UNDEFINED
from .events import EventEmitter
from .jsvalues import truthy

__all__ = ['IpcProcess', 'HandleConversion', 'handle_conversion']


class HandleConversion:
    """Node's ``handleConversion[type]`` for a handle-owning object:
    ``handle_of(obj)`` is the ``UDP`` to send and ``extra(obj)`` the message's
    extra fields; ``got(message, handle, emit)`` rebuilds the object on the
    receiving side and calls ``emit(obj)`` once it is ready."""

    def __init__(self, kind: type, handle_of: Callable[[Any], UDP | None],
                 extra: Callable[[Any], Mapping[str, Any]],
                 got: Callable[[Mapping[str, Any], UDP, Callable[[Any], None]], None]) -> None:
        self.kind = kind
        self.handle_of = handle_of
        self.extra = extra
        self.got = got


handle_conversion: dict[str, HandleConversion] = {}


_WRITE_ERRORS = (pyuv.error.UVError, pyuv.error.HandleClosedError)


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
                    handle = UDP(_socket.AF_INET, self._received.popleft())
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
        conversion = handle_conversion.get(str(message.get('type')))
        if conversion is not None:
            conversion.got(message, handle,
                           lambda obj: self._handle_message(inner, obj, _is_internal(inner)))
            return
        self._handle_message(inner, handle, _is_internal(inner))

    # --- writing -------------------------------------------------------------------------
    def send(self, message: Any = UNDEFINED, handle: Any = None, options: Any = None,
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
        swallow = options is not None and truthy(options.get('swallowErrors'))
        if self.connected:
            return self._send(message, handle, swallow, callback)
        ex = errors.ERR_IPC_CHANNEL_CLOSED()
        if callable(callback):
            loop.next_tick(callback, ex)
        else:
            loop.next_tick(self.emit, 'error', ex)
        return False

    def _send(self, message: Any, handle: Any = None, swallow: bool = False,
              callback: Any = None) -> bool:
        if message is UNDEFINED:
            raise errors.ERR_MISSING_ARGS('message')
        if not isinstance(message, (str, int, float, Mapping, list, tuple)) and message is not None:
            raise errors.ERR_INVALID_ARG_TYPE('message', ['string', 'object', 'number', 'boolean'],
                                              message)
        send_handle = None
        if handle is not None:
            wrapped: dict[str, Any] = {'cmd': 'NODE_HANDLE', 'type': None, 'msg': message}
            inner: UDP | None
            if isinstance(handle, UDP):
                wrapped['type'] = 'dgram.Native'
                inner = handle
            else:
                for name, conversion in handle_conversion.items():
                    if isinstance(handle, conversion.kind):
                        wrapped.update(type=name, **conversion.extra(handle))
                        inner = conversion.handle_of(handle)
                        break
                else:
                    raise errors.ERR_INVALID_HANDLE_TYPE()
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
                ex = errors.ErrnoException(status_of(err), 'write')
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
            self.emit('error', errors.ERR_IPC_DISCONNECTED())
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
