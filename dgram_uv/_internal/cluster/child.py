"""The worker's side of the cluster (Node's lib/internal/cluster/child.js).

At import of this module in a worker (``NODE_UNIQUE_ID`` set),
``setup_worker`` opens the IPC channel the primary made: ``uv_pipe_open`` on
fd ``NODE_CHANNEL_FD`` (3) of a ``uv_pipe_t`` with ``ipc=1``, left unreferenced
(Node's ``_forkChild``) except while ``'message'``/``'disconnect'`` listeners
exist, which a worker always has until it disconnects.  It then tells the
primary it is ``online``.  As in Node, the channel's fd is made close-on-exec
and ``NODE_CHANNEL_FD``/``NODE_UNIQUE_ID`` leave the environment, so programs
the worker runs neither inherit the channel nor take themselves for workers.

``get_server`` is Node's ``cluster._getServer``: a ``queryServer`` message; the
reply carries the primary's ``uv_udp_t`` (received with ``uv_accept``), whose
``close`` is wrapped to tell the primary ``close``, as Node's ``shared()`` does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import pyuv

from ..._binding import loop
from ..._binding.udp_wrap import UDP
from ..._binding.uv import UV_EINVAL
from .. import cluster
from ..child_process import IpcProcess
from .utils import internal, send_helper
from .worker import Worker

__all__ = ['WorkerProcess', 'ChildWorker', 'setup_worker', 'get_server']

_handles: dict[str, UDP] = {}            # the shared handles this worker holds, by key
_indexes: dict[str, dict[str, Any]] = {}  # indexesKey -> {'next': n, 'set': {indexes}}


class WorkerProcess(IpcProcess):
    """What Node's ``process`` offers a worker for the channel: ``send``,
    ``disconnect``, ``connected``, ``pid``, ``exit(code)``; events ``'message'``
    and ``'disconnect'``.  It is ``cluster.worker.process``."""

    def __init__(self, pipe: pyuv.Pipe) -> None:
        super().__init__(pipe)
        self.pid = os.getpid()
        self.peer = f'the cluster primary (pid {os.getppid()})'
        self._set_ref(False)   # Node's _forkChild: p.unref(), then counted listeners

        def on_new_listener(event: object, listener: object) -> None:
            if event in ('message', 'disconnect'):
                self._ref_counted()

        def on_remove_listener(event: object, listener: object) -> None:
            if event in ('message', 'disconnect'):
                self._unref_counted()
        self.on('newListener', on_new_listener)
        self.on('removeListener', on_remove_listener)

    def exit(self, code: int = 0) -> None:
        """Node's ``process.exit(code)``: ``SystemExit``, which ends ``dgram_uv.run()``."""
        raise SystemExit(code)


def _send(message: Mapping[str, Any], callback: Callable[..., Any] | None = None) -> bool:
    assert cluster.current_worker is not None
    return send_helper(cluster.current_worker.process, message, None, callback)


def setup_worker() -> Worker:
    """Node's ``cluster._setupWorker``: open the channel, make ``cluster.worker``,
    exit on an unexpected disconnect, send ``online``."""
    fd = int(os.environ.pop('NODE_CHANNEL_FD', '3'))
    os.environ.pop('NODE_CHANNEL_SERIALIZATION_MODE', None)
    # The primary made the descriptor inheritable so that this process could
    # get it; the programs this worker runs must not (a shell command could
    # write on the channel): close-on-exec, as in Node.
    os.set_inheritable(fd, False)
    pipe = pyuv.Pipe(loop.get_loop(), True)
    pipe.open(fd)   # uv_pipe_open
    process = WorkerProcess(pipe)
    try:
        worker_id = int(os.environ.get('NODE_UNIQUE_ID', '0'))
    except ValueError:
        worker_id = 0
    # Node deletes it once the worker is set up: a program this worker runs
    # (a Python one importing dgram_uv included) is not a worker.
    os.environ.pop('NODE_UNIQUE_ID', None)
    worker = ChildWorker({'id': worker_id, 'process': process, 'state': 'online'})
    cluster.current_worker = worker

    def on_disconnect() -> None:
        worker.emit('disconnect')
        if not worker.exited_after_disconnect:
            # The primary went away (or the channel was closed by hand): exit now.
            process.exit(0)

    def onmessage(message: Mapping[str, Any], handle: Any) -> None:
        if message.get('act') == 'disconnect':
            _disconnect(worker, True)

    process.once('disconnect', on_disconnect)
    process.on('internalMessage', internal(onmessage))
    _send({'act': 'online'})
    return worker


def _js_join(*parts: Any) -> str:
    # Array.prototype.join: null and undefined become ''.
    return ':'.join('' if part is None else str(part) for part in parts)


def get_server(obj: Any, options: Mapping[str, Any], cb: Callable[[Any, Any], Any]) -> None:
    """Node's ``cluster._getServer(obj, options, cb)`` for a dgram socket ``obj``.

    Each bind of the same (address, port, type, fd) in this worker gets the
    next index, so a second socket binds anew in the primary while the same
    bind in two workers shares one socket.  ``cb(errno, handle)`` gets the
    primary's status and the received ``udp_wrap.UDP`` (None on error).  When
    ``obj`` emits ``'listening'`` the primary hears ``listening`` with the port.
    """
    address = options.get('address')
    indexes_key = _js_join(address, options.get('port'), options.get('addressType'),
                           options.get('fd'))
    index_set = _indexes.setdefault(indexes_key, {'next': 0, 'set': set()})
    index = index_set['next']
    index_set['next'] += 1
    index_set['set'].add(index)
    message: dict[str, Any] = {'act': 'queryServer', 'index': index, 'data': None,
                               **options, 'address': address}

    def on_reply(reply: Mapping[str, Any], handle: Any) -> None:
        if handle is not None:
            _shared(reply, handle, indexes_key, index, cb)
        else:
            # Node's round-robin path, which for UDP only ever sees an error.
            cb(reply.get('errno') or UV_EINVAL, None)

    _send(message, on_reply)

    def on_listening() -> None:
        if indexes_key not in _indexes:
            return   # closed already (a short-lived socket)
        assert cluster.current_worker is not None
        cluster.current_worker.state = 'listening'
        bound = obj.address()
        message['act'] = 'listening'
        message['port'] = getattr(bound, 'port', None) or options.get('port')
        _send(message)
    obj.once('listening', on_listening)


def _remove_indexes_key(indexes_key: str, index: int) -> None:
    index_set = _indexes.get(indexes_key)
    if index_set is None:
        return
    index_set['set'].discard(index)
    if not index_set['set']:
        del _indexes[indexes_key]


def _shared(reply: Mapping[str, Any], handle: UDP, indexes_key: str, index: int,
            cb: Callable[[Any, Any], Any]) -> None:
    # Node's shared(): the handle's close also tells the primary, so it can
    # close its copy when the last worker is done with it.
    key = reply['key']
    close = handle.close

    def close_shared(*args: Any) -> None:
        _send({'act': 'close', 'key': key})
        _handles.pop(key, None)
        _remove_indexes_key(indexes_key, index)
        close(*args)

    handle.close = close_shared  # type: ignore[method-assign,assignment]
    assert key not in _handles
    _handles[key] = handle
    cb(reply.get('errno'), handle)


def _disconnect(worker: Worker, primary_initiated: bool) -> None:
    # Node's _disconnect: close every shared handle (through its socket), then
    # the channel; a worker-initiated one first makes sure the primary knows.
    worker.exited_after_disconnect = True
    waiting = 1

    def check_waiting_count(*_: Any) -> None:
        nonlocal waiting
        waiting -= 1
        if waiting == 0:
            if primary_initiated:
                worker.process.disconnect()
            else:
                _send({'act': 'exitedAfterDisconnect'},
                      lambda *_: worker.process.disconnect())

    for handle in list(_handles.values()):
        waiting += 1
        if handle.owner is not None:
            handle.owner.close(check_waiting_count)
        else:
            handle.close(check_waiting_count)
    _handles.clear()
    check_waiting_count()


class ChildWorker(Worker):
    """``cluster.current_worker`` in a worker: its own disconnect and destroy (Node's child.js)."""

    def disconnect(self) -> Worker:
        """Node's ``worker.disconnect()`` in a worker."""
        if self.state not in ('disconnecting', 'destroying'):
            self.state = 'disconnecting'
            _disconnect(self, False)
        return self

    def destroy(self, signo: Any = None) -> None:
        """Node's ``worker.destroy()`` in a worker: tell the primary, disconnect, exit 0."""
        if self.state == 'destroying':
            return
        self.exited_after_disconnect = True
        if not self.is_connected():
            self.process.exit(0)
            return
        self.state = 'destroying'
        process = self.process
        _send({'act': 'exitedAfterDisconnect'}, lambda *_: process.disconnect())
        process.once('disconnect', lambda: process.exit(0))


if cluster.is_worker and cluster.current_worker is None:
    setup_worker()
