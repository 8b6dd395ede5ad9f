"""Node's ``cluster`` module (lib/cluster.js) as far as dgram needs it.

A process is a cluster *worker* when it was started by ``fork()`` (its
environment had ``NODE_UNIQUE_ID``), as in Node; any other process is the
*primary*.  The primary's ``fork()`` re-runs the main program with an IPC
channel; a worker's dgram socket bound without ``exclusive`` gets the primary's
handle for that address, so workers share one socket (Node's SharedHandle: UDP
is never round-robin).

Python has no ``this``: listeners get the worker as an argument where Node
passes it (``cluster.on('online', lambda worker: ...)``), and a ``'message'``
listener gets ``(message)``, or ``(message, handle)`` when a handle came with it.
The implementation is ``_internal.cluster``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from ._internal import cluster as _state
from ._internal.cluster.worker import Worker

__all__ = [
    'is_primary', 'is_worker', 'is_master', 'worker', 'workers', 'settings', 'fork',
    'disconnect', 'setup_primary', 'Worker', 'emitter', 'on', 'once', 'off', 'emit',
    'SCHED_NONE', 'SCHED_RR', 'scheduling_policy',
    'isPrimary', 'isWorker', 'isMaster', 'setupPrimary', 'setupMaster', 'schedulingPolicy',
]

is_worker: bool = _state.is_worker
"""Node's ``cluster.isWorker``: this process was started by ``fork()``."""
is_primary: bool = _state.is_primary
is_master = is_primary   # Node's deprecated alias
isWorker, isPrimary, isMaster = is_worker, is_primary, is_master
SCHED_NONE = _state.SCHED_NONE
SCHED_RR = _state.SCHED_RR
scheduling_policy = schedulingPolicy = _state.scheduling_policy

workers: dict[int, Worker] = _state.workers
"""In the primary, the live workers by id (Node's ``cluster.workers``)."""

emitter = _state.emitter
"""Node's ``cluster`` object is an EventEmitter; the module's events live on this one:
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

worker: Worker | None
"""In a worker, its own ``Worker`` (Node's ``cluster.worker``); None in the primary."""
settings: dict[str, Any]
"""Node's ``cluster.settings``, filled by ``setup_primary``/``fork``."""


def __getattr__(name: str) -> Worker | dict[str, Any] | None:
    # `worker` and `settings` are set later by the side that owns them.
    if name == 'worker':
        return _state.current_worker
    if name == 'settings':
        return _state.settings
    raise AttributeError(f"module 'dgram_uv.cluster' has no attribute {name!r}")


def _primary() -> ModuleType:
    if is_worker:
        raise TypeError('this function exists only in the cluster primary')
    from ._internal.cluster import primary
    return primary


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
    from ._internal.cluster import child
    child.get_server(obj, options, cb)


setupPrimary = setupMaster = setup_primary
_getServer = _get_server
