"""dgram_uv: Node.js's ``dgram`` module (v23.5.0) for Python, on libuv through pyuv.

``import dgram_uv as dgram``; then ``dgram.create_socket('udp4')`` and
``dgram.run()``, as SPEC.md describes.  Every public name is also reachable
under Node's camelCase spelling (``dgram.createSocket``).
"""

from __future__ import annotations

import os
from typing import Any

from . import errors
from .dgram import Socket, _createSocketHandle, create_socket
from .loop import (
    clear_immediate,
    clear_interval,
    clear_timeout,
    next_tick,
    run,
    set_immediate,
    set_interval,
    set_timeout,
)

__all__ = [
    'create_socket', 'Socket', 'run', 'next_tick', 'set_timeout', 'set_interval',
    'set_immediate', 'clear_timeout', 'clear_interval', 'clear_immediate', 'BlockList',
    'AbortController', 'AbortSignal', 'errors', '_createSocketHandle',
    'createSocket', 'nextTick', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout',
    'clearInterval', 'clearImmediate',
]

# A cluster worker connects to its primary at start-up, as Node's bootstrap does.
if 'NODE_UNIQUE_ID' in os.environ:
    from . import cluster  # noqa: F401

createSocket = create_socket
nextTick = next_tick
setTimeout = set_timeout
setInterval = set_interval
setImmediate = set_immediate
clearTimeout = clear_timeout
clearInterval = clear_interval
clearImmediate = clear_immediate


def __getattr__(name: str) -> Any:
    # BlockList and AbortController load on first use, as Node loads them lazily.
    if name == 'BlockList':
        from .blocklist import BlockList
        return BlockList
    if name in ('AbortController', 'AbortSignal'):
        from . import abort
        return getattr(abort, name)
    raise AttributeError(f"module 'dgram_uv' has no attribute {name!r}")
