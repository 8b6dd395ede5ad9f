"""dgram_uv: Node.js's ``dgram`` module (v23.5.0) for Python, on libuv through pyuv.

``import dgram_uv as dgram``; then ``dgram.create_socket('udp4')`` and
``dgram.run()``.  Every public name is also reachable under Node's camelCase
spelling (``dgram.createSocket``).
"""

from __future__ import annotations

from . import diagnostics_channel, errors
from ._binding.loop import call_soon_threadsafe, run
from ._binding.udp_wrap import AddressInfo, RemoteInfo
from ._internal import cluster as _cluster
from ._internal.api_types import BindOptions, SocketOptions
from ._version import __version__
from .abort import AbortController, AbortSignal
from .blocklist import BlockList
from .dgram import Socket, _createSocketHandle, create_socket
from .timers import (
    clear_immediate,
    clear_interval,
    clear_timeout,
    next_tick,
    set_immediate,
    set_interval,
    set_timeout,
)

__all__ = [
    '__version__', 'RemoteInfo', 'AddressInfo', 'SocketOptions', 'BindOptions',
    'create_socket', 'Socket', 'run', 'next_tick', 'set_timeout', 'set_interval',
    'set_immediate', 'clear_timeout', 'clear_interval', 'clear_immediate', 'BlockList',
    'AbortController', 'AbortSignal', 'errors', 'diagnostics_channel', '_createSocketHandle',
    'createSocket', 'nextTick', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout',
    'clearInterval', 'clearImmediate', 'call_soon_threadsafe',
]

createSocket = create_socket
nextTick = next_tick
setTimeout = set_timeout
setInterval = set_interval
setImmediate = set_immediate
clearTimeout = clear_timeout
clearInterval = clear_interval
clearImmediate = clear_immediate

# DGRAM_UV_TRACE is read once, here: the trace starts before the first handle.
from . import trace as trace  # noqa: E402

# A cluster worker connects to its primary at start-up, as Node's bootstrap does.
if _cluster.is_worker:
    from ._internal.cluster import child as _child  # noqa: F401
