"""Node's lib/internal/cluster/worker.js: the ``Worker`` both sides share.

Its ``disconnect`` and ``destroy`` differ per side, as Node's child.js and
primary.js each define them: ``child.ChildWorker`` and ``primary.PrimaryWorker``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..events import EventEmitter

__all__ = ['Worker']

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
        raise NotImplementedError

    def destroy(self, signo: Any = None) -> None:
        """Primary: ``process.kill(signo or 'SIGTERM')``; worker: disconnect and exit."""
        raise NotImplementedError

    # Node's names (naming.camel_case of each method; tests/test_naming.py checks).
    exitedAfterDisconnect = exited_after_disconnect
    isDead = is_dead
    isConnected = is_connected
