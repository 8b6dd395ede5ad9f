"""Node's lib/internal/cluster/utils.js: NODE_CLUSTER messages and their acks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..child_process import IpcProcess, ProtocolError

__all__ = ['send_helper', 'internal']

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
        ack = message.get('ack')
        if ack is not None:
            if not isinstance(ack, int) or isinstance(ack, bool):
                raise ProtocolError(f'a NODE_CLUSTER message whose ack is not a number: '
                                    f'{ack!r:.80}')
            callback = _callbacks.pop(ack, None)
            if callback is not None:
                fn = callback
        fn(message, handle)
    return on_internal_message
