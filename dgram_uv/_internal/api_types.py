"""The types of dgram's public API, as @types/node spells them for Node: what
``send`` accepts, the callbacks' and listeners' signatures, and the option
mappings (``TypedDict`` with Node's option names)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal, TypedDict

from .._binding.udp_wrap import RemoteInfo

if TYPE_CHECKING:   # the public classes, for the checker only
    from ..abort import AbortSignal
    from ..blocklist import BlockList

__all__ = ['Bytes', 'Message', 'Port', 'SocketType', 'SendCallback', 'BindCallback',
           'ConnectCallback', 'CloseCallback', 'MessageListener', 'ErrorListener',
           'Listener', 'BindOptions', 'SocketOptions', 'SocketKeywords']

Bytes = bytes | bytearray | memoryview
"""Node's ``Buffer``, ``TypedArray`` or ``DataView``."""
Message = str | Bytes | Sequence[str | Bytes]
"""What ``send`` accepts: a str (UTF-8), bytes-like object, or a list/tuple of them."""
Port = int | str
"""A port: an int from 0 to 65535, or a str holding one (Node accepts ``'1234'``)."""
SocketType = Literal['udp4', 'udp6']

SendCallback = Callable[..., object]
"""``callback(err, bytes)`` after a send; ``callback(err)`` when it failed."""
BindCallback = Callable[[], object]
"""Called with no arguments once the socket listens."""
ConnectCallback = Callable[..., object]
"""``callback()`` once connected, ``callback(err)`` when the connect failed."""
CloseCallback = Callable[[], object]
MessageListener = Callable[[bytes, RemoteInfo], object]
"""``'message'`` listener: ``(msg, rinfo)``."""
ErrorListener = Callable[[BaseException], object]
Listener = Callable[[], object]
"""``'listening'``, ``'connect'`` and ``'close'`` listeners: no arguments."""


class BindOptions(TypedDict, total=False):
    """``bind(options)``: Node's ``BindOptions``."""

    port: Port | None
    address: str | None
    exclusive: bool | None
    fd: int | None


class _Options(TypedDict, total=False):
    reuseAddr: bool
    reusePort: bool
    ipv6Only: bool
    recvBufferSize: int
    sendBufferSize: int
    lookup: Callable[[str, int, Callable[..., object]], object]
    signal: AbortSignal | None
    receiveBlockList: BlockList
    sendBlockList: BlockList


class SocketOptions(_Options, total=False):
    """``create_socket(options)``: Node's ``SocketOptions``, by Node's names."""

    type: SocketType


class SocketKeywords(_Options, total=False):
    """``create_socket(type, **keywords)``: the options but ``type``, by Node's
    names or their snake_case."""

    reuse_addr: bool
    reuse_port: bool
    ipv6_only: bool
    recv_buffer_size: int
    send_buffer_size: int
    receive_block_list: BlockList
    send_block_list: BlockList
