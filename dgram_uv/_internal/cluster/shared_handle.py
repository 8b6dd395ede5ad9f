"""Node's lib/internal/cluster/shared_handle.js: one bound ``uv_udp_t`` that the
primary hands to every worker asking for the same key (UDP is never round-robin).
The primary binds it with ``_internal.dgram.create_socket_handle`` (Node's
internal ``_createSocketHandle``: ``uv_udp_bind`` or ``uv_udp_open``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..._binding.udp_wrap import UDP
from ..args import to_uint32
from ..dgram import create_socket_handle
from .worker import Worker

__all__ = ['SharedHandle']


class SharedHandle:
    """Node's SharedHandle: one bound ``uv_udp_t`` (or the status of the failed
    bind) that every worker asking for ``key`` gets."""

    def __init__(self, key: str, address: str | None, message: Mapping[str, Any]) -> None:
        self.key = key
        self.workers: dict[int, Worker] = {}
        self.handle: UDP | None = None
        self.errno = 0
        self.data: Any = None
        port = message.get('port')
        fd = message.get('fd')
        # Node's shared_handle uses internal/dgram's _createSocketHandle (no DEP0112 warning).
        result = create_socket_handle(
            address, None if port is None else to_uint32(port) & 0xFFFF,
            str(message.get('addressType')), fd if isinstance(fd, int) else None,
            message.get('flags') or 0)
        if isinstance(result, int):
            self.errno = result
        else:
            self.handle = result

    def add(self, worker: Worker, send: Callable[[int, Any, UDP | None], Any]) -> None:
        assert worker.id not in self.workers
        self.workers[worker.id] = worker
        send(self.errno, None, self.handle)

    def remove(self, worker: Worker) -> bool:
        """Forget ``worker``; True (and the handle closed) when it was the last one."""
        if self.workers.pop(worker.id, None) is None or self.workers:
            return False
        if self.handle is not None:
            self.handle.close()
        self.handle = None
        return True
