"""Node's IPC channel (``setupChannel`` in lib/internal/child_process.js).

``IpcProcess`` is one end of a channel: a ``uv_pipe_t`` opened with ``ipc=1``
(``pyuv.Pipe(loop, True)``) carrying JSON lines (Node's ``serialization:
'json'``); a handle travels with a message through ``uv_write2``
(``SCM_RIGHTS``) and is taken on the other side with ``uv_pipe_pending_type``
and ``uv_accept``.  ``handle_conversion`` is Node's table of what can be sent:
``'dgram.Native'`` (a ``udp_wrap.UDP``) here, ``'dgram.Socket'`` registered by
``dgram`` itself.

What the other end sends is not trusted to be well formed.  A *protocol
error* -- a line that is not JSON (``NaN`` and nesting deeper than Python's
recursion limit included), a line longer than ``MAX_MESSAGE_BYTES``, a
handle that is not a UDP socket or comes without its ``NODE_HANDLE`` message,
or a cluster message that ``ProtocolError`` rejects -- ends that channel: one
line on stderr says why, and the channel is disconnected as if the other end
had left.  Bytes that are not UTF-8 decode to U+FFFD, as Node's
``StringDecoder`` makes them.  (Node has no size limit and dies of the rest.)
"""

from __future__ import annotations

import json
import re
import socket as _socket
import sys
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import pyuv

from .._binding import loop
from .._binding.udp_wrap import UDP
from .._binding.uv import codes as _uv_codes
from .._binding.uv import status_of
from . import errors, validators
from .args import UNDEFINED
from .events import EventEmitter
from .jsvalues import truthy

__all__ = ['IpcProcess', 'HandleConversion', 'handle_conversion', 'ProtocolError',
           'MAX_MESSAGE_BYTES', 'parse_message']

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
"""The longest message a channel carries: one JSON line of 64 MiB (without its
newline).  Node has no limit; here a longer line read ends the channel, and
``send`` refuses a longer one with ``EMSGSIZE``."""

# Handles left waiting for their NODE_HANDLE line: at most the one whose line
# has not fully arrived (the descriptor comes with the line's first byte).
_MAX_WAITING_HANDLES = 1
_UV_EMSGSIZE = _uv_codes['UV_EMSGSIZE']


class ProtocolError(Exception):
    """A message that breaks the channel's protocol: raised by the parser or by
    an ``'internalMessage'`` listener (the cluster's), it ends the channel."""


def _no_constant(name: str) -> Any:
    raise ValueError(f'{name} is not a JSON value')


def _parse_int(digits: str) -> int | float:
    # JSON.parse reads every number as a double, so an integer of more digits
    # than the largest double (309) is Infinity; Python's int() would refuse
    # more than 4300 digits.
    return int(digits) if len(digits.lstrip('-')) <= 309 else float(digits)


def parse_message(line: bytes) -> Any:
    """One line of the channel as Node reads it: UTF-8 (U+FFFD for bad bytes),
    then ``JSON.parse``; ``ProtocolError`` if it is not JSON."""
    text = line.decode('utf-8', 'replace')
    try:
        return json.loads(text, parse_constant=_no_constant, parse_int=_parse_int)
    except RecursionError:
        raise ProtocolError('not a message: nested deeper than '
                            f'{sys.getrecursionlimit()} levels') from None
    except ValueError as exc:
        raise ProtocolError(f'not JSON: {exc}') from None


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
# uv_pipe_pending_type's names (17 is UV_FILE, which pyuv does not export).
_HANDLE_TYPES = {pyuv.UV_TCP: 'TCP', pyuv.UV_NAMED_PIPE: 'pipe', pyuv.UV_TTY: 'TTY', 17: 'file'}


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


_SURROGATE = re.compile('[\ud800-\udfff]')


def _to_line(message: Any) -> bytes:
    """``JSON.stringify(message) + '\\n'`` in UTF-8.  A lone surrogate, which
    UTF-8 cannot carry, is escaped (``\\ud800``) as JSON.stringify does."""
    text = json.dumps(_to_json(message), separators=(',', ':'), ensure_ascii=False) + '\n'
    try:
        return text.encode()
    except UnicodeEncodeError:   # surrogates only appear inside JSON strings
        return _SURROGATE.sub(lambda match: f'\\u{ord(match[0]):04x}', text).encode()


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
    ``peer`` names the other end in the line a protocol error writes on stderr.
    """

    peer = 'the other process'

    def __init__(self, pipe: pyuv.Pipe) -> None:
        super().__init__()
        self.connected = True
        self.channel: pyuv.Pipe | None = pipe   # Node's target.channel: None once disconnected
        self.exit_code: int | None = None
        self.signal_code: str | None = None
        self._pipe = pipe
        self._refs = 0
        self._ref_explicit = False
        # The line being read: its chunks so far, joined once it ends (reading
        # stays linear in the bytes however the line is split).
        self._partial: list[bytes] = []
        self._partial_size = 0
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
        if self.channel is None:
            return
        try:
            self._take_handles()
            lines = self._lines(data)
            for line in lines:
                if line.strip():
                    self._on_line(line)
            if len(self._received) > (_MAX_WAITING_HANDLES if self._partial else 0):
                raise ProtocolError('a handle without its NODE_HANDLE message')
        except ProtocolError as exc:
            self.protocol_error(str(exc))

    def _take_handles(self) -> None:
        # The descriptors that came with this chunk (SCM_RIGHTS): uv_accept
        # each UDP one into a new uv_udp_t; any other kind is a protocol error
        # (closing the pipe closes what libuv still holds).
        pipe = self._pipe
        while not pipe.closed:
            kind = pipe.pending_handle_type()
            if kind == pyuv.UV_UDP:
                accepted = pyuv.UDP(loop.get_loop())
                pipe.accept(accepted)   # uv_accept: uv_udp_open on the received fd
                self._received.append(accepted)
            elif kind == pyuv.UV_UNKNOWN_HANDLE:
                return
            else:
                raise ProtocolError(f'a handle of type {_HANDLE_TYPES.get(kind, kind)}, '
                                    'where only UDP sockets travel')

    def _lines(self, data: bytes) -> list[bytes]:
        """The lines ``data`` completes; the rest waits for the next chunk."""
        pieces = data.split(b'\n')
        tail = pieces.pop()
        if pieces and self._partial:
            pieces[0] = b''.join((*self._partial, pieces[0]))
            self._partial, self._partial_size = [], 0
        if tail:
            self._partial.append(tail)
            self._partial_size += len(tail)
        if self._partial_size > MAX_MESSAGE_BYTES or any(
                len(line) > MAX_MESSAGE_BYTES for line in pieces):
            raise ProtocolError(f'a message longer than {MAX_MESSAGE_BYTES} bytes '
                                f'({MAX_MESSAGE_BYTES >> 20} MiB)')
        return pieces

    def _on_line(self, line: bytes) -> None:
        message = parse_message(line)
        if not _is_internal(message):
            self._handle_message(message, None, False)
            return
        handle = None
        if message['cmd'] == 'NODE_HANDLE':
            if not self._received:
                raise ProtocolError('a NODE_HANDLE message without its handle')
            handle = UDP(_socket.AF_INET, self._received.popleft())
        self._handle_message(message, handle, True)

    def _handle_message(self, message: Any, handle: Any, internal: bool) -> None:
        if self.channel is None:
            return
        loop.next_tick(self._emit_message, 'internalMessage' if internal else 'message',
                       message, handle)

    def _emit_message(self, event: str, message: Any, handle: Any) -> None:
        args = (message,) if handle is None and event == 'message' else (message, handle)
        if event == 'internalMessage':
            try:
                self.emit(event, *args)
            except ProtocolError as exc:   # from the cluster's listener
                if handle is not None:
                    handle.close()
                self.protocol_error(str(exc))
        elif self.listener_count('message'):
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
            try:
                conversion.got(message, handle,
                               lambda obj: self._handle_message(inner, obj, _is_internal(inner)))
            except (TypeError, ValueError) as exc:   # e.g. a dgramType no Socket has
                raise ProtocolError(f'a NODE_HANDLE message of type {message.get("type")!r} '
                                    f'that cannot be received: {exc}') from None
            return
        self._handle_message(inner, handle, _is_internal(inner))

    def protocol_error(self, reason: str) -> None:
        """End the channel after a message that breaks the protocol: one line on
        stderr saying why, then a disconnect, as if the other end had left."""
        if self.channel is None:
            return
        self._partial, self._partial_size = [], 0
        try:
            sys.stderr.write(f'dgram_uv: closed the IPC channel of {self.peer}: {reason}\n')
            sys.stderr.flush()
        except (AttributeError, OSError, ValueError):
            pass   # no stderr to say it on
        if self.connected:
            self.disconnect()
        else:
            self._close_pipe()

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
        data = _to_line(message)

        def on_written(pipe: pyuv.Pipe, error: int | None) -> None:
            loop.make_callback(after_write)

        def after_write() -> None:
            self._unref_counted()
            if callable(callback):
                callback(None)
        status = 0
        if len(data) > MAX_MESSAGE_BYTES + 1:
            status = _UV_EMSGSIZE   # the other end would end the channel on reading it
        else:
            try:
                if send_handle is not None:
                    self._pipe.write(data, on_written, send_handle)   # uv_write2
                else:
                    self._pipe.write(data, on_written)                # uv_write
            except _WRITE_ERRORS as err:
                status = status_of(err)
        if status:
            if not swallow:
                ex = errors.ErrnoException(status, 'write')
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
