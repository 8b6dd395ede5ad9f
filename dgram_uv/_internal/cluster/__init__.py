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
one socket.  This package holds the cluster's state (this module), the ``Worker`` class
(``worker``), the message helpers of internal/cluster/utils (``utils``), the
primary's ``SharedHandle`` (``shared_handle``) and the two sides (``primary``,
``child``); the IPC channel is ``_internal.child_process``.  The public front
is ``dgram_uv.cluster``.

Python has no ``this`` and no ``undefined``: listeners get the worker as an
argument where Node passes it (``cluster.on('online', lambda worker: ...)``),
and a ``'message'`` listener gets ``(message)``, or ``(message, handle)`` when
a handle came with it (Node always passes a second, often undefined, argument).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..events import EventEmitter

if TYPE_CHECKING:
    from .worker import Worker

is_worker: bool = 'NODE_UNIQUE_ID' in os.environ
"""Node's ``cluster.isWorker``: this process was started by ``fork()``."""
is_primary: bool = not is_worker

SCHED_NONE = 1   # leave it to the operating system
SCHED_RR = 2     # the primary distributes connections (TCP only: UDP is always shared)
_policy = os.environ.get('NODE_CLUSTER_SCHED_POLICY')
scheduling_policy = SCHED_NONE if _policy == 'none' else SCHED_RR

emitter = EventEmitter()
"""Node's ``cluster`` object is an EventEmitter; here the module's events live on this one:
``'fork'``, ``'online'``, ``'listening'``, ``'message'``, ``'disconnect'``, ``'exit'``,
``'setup'``."""

current_worker: Worker | None = None
"""In a worker, its own ``Worker`` (Node's ``cluster.worker``); None in the primary."""
workers: dict[int, Worker] = {}
"""In the primary, the live workers by id (Node's ``cluster.workers``)."""
settings: dict[str, Any] = {}
"""Node's ``cluster.settings``, filled by ``setup_primary``/``fork``."""
