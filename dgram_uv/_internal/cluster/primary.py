"""The primary's side of the cluster (Node's lib/internal/cluster/primary.js and
shared_handle.js, with the part of child_process.fork that starts a worker).

``fork`` spawns the worker with ``uv_spawn`` (``pyuv.Process.spawn``): stdio 0-2
inherited and fd 3 a ``uv_pipe_t`` with ``ipc=1`` made by libuv
(``UV_CREATE_PIPE``), announced to the worker as ``NODE_CHANNEL_FD=3``.  A
worker's ``queryServer`` for a UDP socket gets a ``SharedHandle``: the primary
binds once (``_internal.dgram.create_socket_handle``: ``uv_udp_bind`` or
``uv_udp_open``) and sends the same ``uv_udp_t`` to every worker that asks,
with ``uv_write2``; it closes its copy when the last of them has let go.

A worker's messages are checked before the primary acts on them: a
``queryServer`` whose fields would make the primary fail (an ``addressType``
other than udp4/udp6, a ``port``, ``fd`` or ``flags`` of the wrong type, the
same query twice) is a protocol error that ends that worker's channel (see
``child_process``); the primary and the other workers go on.  As in Node, the
primary trusts a well-formed query: it binds the address, or opens the
``fd``, that the worker names.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Mapping
from typing import Any

import pyuv

from ..._binding import loop
from ..._binding.udp_wrap import UDP
from ..._binding.uv import codes as _uv_codes
from ..._binding.uv import status_of
from .. import cluster, errors
from ..child_process import IpcProcess, ProtocolError
from ..events import EventEmitter
from ..jsvalues import truthy
from .shared_handle import SharedHandle
from .utils import internal, send_helper
from .worker import Worker

__all__ = ['ChildProcess', 'PrimaryWorker', 'setup_primary', 'fork', 'disconnect']

_handles: dict[str, SharedHandle] = {}
_intercom = EventEmitter()
_ids = 0


def _program() -> tuple[list[str], list[str]]:
    """(interpreter options, program) of this process, from ``sys.orig_argv``.

    The program is ``[script]``, ``['-m', module]`` or ``['-c', code]``: what a
    worker runs again, as Node's workers run ``process.argv[1]`` again.
    """
    orig = list(getattr(sys, 'orig_argv', [sys.executable, *sys.argv]))
    head = orig[1:len(orig) - (len(sys.argv) - 1)]
    if len(head) >= 2 and head[-2] in ('-m', '-c'):
        size = 2
    else:
        size = 1 if head else 0
    return head[:len(head) - size], head[len(head) - size:]


class ChildProcess(IpcProcess):
    """Node's ChildProcess as ``fork`` makes it: ``pid``, ``kill(signal)``,
    ``exit_code``, ``signal_code``, ``killed``, the IPC channel of ``IpcProcess``;
    ``'exit'`` (code, signal) comes from libuv's exit callback."""

    def __init__(self, argv: list[str], env: Mapping[str, str], cwd: str | None,
                 silent: bool) -> None:
        uv_loop = loop.get_loop()
        pipe = pyuv.Pipe(uv_loop, True)
        ignore = pyuv.StdIO(flags=pyuv.UV_IGNORE)
        stdio = [ignore if silent else pyuv.StdIO(fd=fd, flags=pyuv.UV_INHERIT_FD)
                 for fd in (0, 1, 2)]
        stdio.append(pyuv.StdIO(stream=pipe, flags=pyuv.UV_CREATE_PIPE | pyuv.UV_READABLE_PIPE
                                | pyuv.UV_WRITABLE_PIPE))
        try:
            self._process: pyuv.Process | None = pyuv.Process.spawn(
                uv_loop, args=argv, executable=argv[0], env=dict(env), cwd=cwd, stdio=stdio,
                exit_callback=self._exit_cb)
        except pyuv.error.ProcessError as err:
            pipe.close()
            raise errors.ErrnoException(status_of(err), 'spawn') from None
        super().__init__(pipe)
        self.pid: int = self._process.pid
        self.peer = f'process {self.pid}'
        self.killed = False

    def _exit_cb(self, process: pyuv.Process, exit_status: int, term_signal: int) -> None:
        loop.make_callback(self._on_exit, exit_status, term_signal)

    def _on_exit(self, exit_status: int, term_signal: int) -> None:
        # Node's onexit: the exit code, or the signal's name when a signal ended it.
        if term_signal:
            self.signal_code = signal.Signals(term_signal).name
        else:
            self.exit_code = exit_status
        if self._process is not None:
            self._process.close()
            self._process = None
        self.emit('exit', self.exit_code, self.signal_code)

    def kill(self, sig: Any = 'SIGTERM') -> bool:
        """Node's ``subprocess.kill(signal)``: ``uv_process_kill``; False once it has exited."""
        signum = _signal_number(sig)
        if self._process is None:
            return False
        try:
            self._process.kill(signum)
        except pyuv.error.ProcessError as err:
            status = status_of(err)
            if status != _uv_codes['UV_ESRCH']:
                self.emit('error', errors.ErrnoException(status, 'kill'))
            return False
        self.killed = True
        return True


def _signal_number(sig: Any) -> int:
    if sig == 0 and not isinstance(sig, bool):
        return 0
    if isinstance(sig, str) and sig in signal.Signals.__members__:
        return int(signal.Signals[sig])
    if isinstance(sig, int) and not isinstance(sig, bool):
        try:
            return int(signal.Signals(sig))
        except ValueError:
            pass
    raise errors.ERR_UNKNOWN_SIGNAL(sig)


def setup_primary(options: Mapping[str, Any] | None = None) -> None:
    """Node's ``cluster.setupPrimary``: merge ``options`` into ``cluster.settings``."""
    exec_argv, _ = _program()
    settings = {'args': sys.argv[1:], 'exec': sys.argv[0], 'execArgv': exec_argv,
                'silent': False, **cluster.settings, **(options or {})}
    cluster.settings = settings
    loop.next_tick(cluster.emitter.emit, 'setup', settings)


def _create_worker_process(worker_id: int, env: Mapping[str, Any] | None) -> ChildProcess:
    settings = cluster.settings
    worker_env = {**os.environ, **{k: _env_value(v) for k, v in _spread(env)},
                  'NODE_UNIQUE_ID': str(worker_id), 'NODE_CHANNEL_FD': '3',
                  'NODE_CHANNEL_SERIALIZATION_MODE': 'json'}
    exec_argv, program = _program()
    if settings.get('exec') != sys.argv[0]:
        program = [str(settings['exec'])]
    argv = [sys.executable, *map(str, settings.get('execArgv', exec_argv)), *program,
            *map(str, settings.get('args', ()))]
    return ChildProcess(argv, worker_env, settings.get('cwd'), truthy(settings.get('silent')))


def _spread(value: Any) -> list[tuple[str, Any]]:
    # JS `{...value}`: a mapping's entries, a string's or an array's by index, else none.
    if isinstance(value, Mapping):
        return [(str(key), item) for key, item in value.items()]
    if isinstance(value, (str, list, tuple)):
        return [(str(index), item) for index, item in enumerate(value)]
    return []


def _env_value(value: Any) -> str:
    # `${value}` in JS.
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return 'undefined' if value is None else str(value)


def _remove_worker(worker: Worker) -> None:
    cluster.workers.pop(worker.id, None)
    if not cluster.workers:
        if _handles:
            raise AssertionError('Resource leak detected.')
        _intercom.emit('disconnect')


def _remove_handles_for_worker(worker: Worker) -> None:
    for key, handle in list(_handles.items()):
        if handle.remove(worker):
            _handles.pop(key, None)


def fork(env: Mapping[str, Any] | None = None) -> Worker:
    """Node's ``cluster.fork(env)``; ``'fork'`` is emitted on the next tick."""
    global _ids
    setup_primary()
    _ids += 1
    worker_id = _ids
    process = _create_worker_process(worker_id, env)
    process.peer = f'cluster worker {worker_id} (pid {process.pid})'
    worker = PrimaryWorker({'id': worker_id, 'process': process})
    worker.on('message', lambda *args: cluster.emitter.emit('message', worker, *args))

    def on_exit(exit_code: int | None, signal_code: str | None) -> None:
        # Forget the worker only once it has disconnected too.
        if not worker.is_connected():
            _remove_handles_for_worker(worker)
            _remove_worker(worker)
        worker.exited_after_disconnect = bool(worker.exited_after_disconnect)
        worker.state = 'dead'
        worker.emit('exit', exit_code, signal_code)
        cluster.emitter.emit('exit', worker, exit_code, signal_code)

    def on_disconnect() -> None:
        _remove_handles_for_worker(worker)
        if worker.is_dead():
            _remove_worker(worker)
        worker.exited_after_disconnect = bool(worker.exited_after_disconnect)
        worker.state = 'disconnected'
        worker.emit('disconnect')
        cluster.emitter.emit('disconnect', worker)

    process.once('exit', on_exit)
    process.once('disconnect', on_disconnect)
    process.on('internalMessage', internal(lambda message, handle: _onmessage(worker, message)))
    loop.next_tick(cluster.emitter.emit, 'fork', worker)
    cluster.workers[worker.id] = worker
    return worker


def disconnect(callback: Callable[[], Any] | None = None) -> None:
    """Node's ``cluster.disconnect(cb)``: ``cb`` once every worker is gone."""
    workers = list(cluster.workers.values())
    if not workers:
        loop.next_tick(_intercom.emit, 'disconnect')
    else:
        for worker in workers:
            if worker.is_connected():
                worker.disconnect()
    if callable(callback):
        _intercom.once('disconnect', callback)


def _send(worker: Worker, message: Mapping[str, Any], handle: Any = None) -> bool:
    return send_helper(worker.process, message, handle)


def _onmessage(worker: Worker, message: Mapping[str, Any]) -> None:
    act = message.get('act')
    if act == 'online':
        worker.state = 'online'
        worker.emit('online')
        cluster.emitter.emit('online', worker)
    elif act == 'queryServer':
        _query_server(worker, message)
    elif act == 'listening':
        info = {key: message.get(key) for key in ('addressType', 'address', 'port', 'fd')}
        worker.state = 'listening'
        worker.emit('listening', info)
        cluster.emitter.emit('listening', worker, info)
    elif act == 'exitedAfterDisconnect':
        worker.exited_after_disconnect = True
        _send(worker, {'ack': message.get('seq')})
    elif act == 'close':
        # A worker closed its copy; the handle may be gone already.
        handle = _handles.get(str(message.get('key')))
        if handle is not None and handle.remove(worker):
            _handles.pop(handle.key, None)


def _js(value: Any) -> str:
    # A template literal's view of a JSON value.
    return 'undefined' if value is None else str(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# What each field of a queryServer may be (None: absent or null).
_QUERY_FIELDS: dict[str, Callable[[Any], bool]] = {
    'addressType': lambda value: value in ('udp4', 'udp6'),
    'address': lambda value: value is None or isinstance(value, str),
    'port': lambda value: value is None or _is_int(value) or isinstance(value, float),
    'fd': lambda value: value is None or _is_int(value),
    'flags': lambda value: value is None or _is_int(value),
}


def _check_query(message: Mapping[str, Any]) -> None:
    for name, valid in _QUERY_FIELDS.items():
        value = message.get(name)
        if not valid(value):
            shown = json.dumps(value)[:80] if name in message else 'missing'
            raise ProtocolError(f'queryServer with a bad {name}: {shown}')


def _query_server(worker: Worker, message: Mapping[str, Any]) -> None:
    if worker.exited_after_disconnect:
        return   # the worker is on its way out
    _check_query(message)
    key = (f"{_js(message.get('address'))}:{_js(message.get('port'))}:"
           f"{_js(message.get('addressType'))}:{_js(message.get('fd'))}:"
           f"{_js(message.get('index'))}")
    handle = _handles.get(key)
    if handle is not None and worker.id in handle.workers:
        raise ProtocolError(f'queryServer for {key} twice')
    if handle is None:
        # UDP is never round-robin: there is nothing to hand out but datagrams.
        handle = _handles[key] = SharedHandle(key, message.get('address'), message)
    handle.data = handle.data or message.get('data')

    def reply(errno: int, extra: Mapping[str, Any] | None, udp: UDP | None) -> None:
        data = _handles[key].data
        if errno:
            del _handles[key]   # lets another worker try again
        _send(worker, {'errno': errno, 'key': key, 'ack': message.get('seq'), 'data': data,
                       **(extra or {})}, udp)
    handle.add(worker, reply)


class PrimaryWorker(Worker):
    """A worker as the primary sees it: its disconnect and destroy (Node's primary.js)."""

    def disconnect(self) -> Worker:
        """Node's ``worker.disconnect()`` in the primary: ask the worker to disconnect."""
        self.exited_after_disconnect = True
        _send(self, {'act': 'disconnect'})
        _remove_handles_for_worker(self)
        _remove_worker(self)
        return self

    def destroy(self, signo: Any = None) -> None:
        """Node's ``worker.destroy(signal)`` (``kill``) in the primary."""
        self.process.kill(signo or 'SIGTERM')
