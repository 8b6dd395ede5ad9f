"""Python calling conventions mapped onto Node's dgram arguments.

Options come as Node's mapping (``{'type': 'udp4', 'reuseAddr': True}``) or as
keywords (``type='udp4', reuse_addr=True``); messages as str, bytes-like
objects or lists/tuples of them (a JS string, Buffer/TypedArray/DataView, Array).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from . import errors, validators

# The JS value rules live in jsvalues; these names stay importable from here.
from .jsvalues import UNDEFINED as UNDEFINED
from .jsvalues import to_uint32 as to_uint32
from .jsvalues import truthy as truthy

AnyCallback = Callable[..., Any]

Options = dict[str, Any]

# snake_case keyword -> Node's option name.
OPTION_NAMES: Mapping[str, str] = {
    'type': 'type', 'reuse_addr': 'reuseAddr', 'reuse_port': 'reusePort',
    'ipv6_only': 'ipv6Only', 'recv_buffer_size': 'recvBufferSize',
    'send_buffer_size': 'sendBufferSize', 'lookup': 'lookup', 'signal': 'signal',
    'receive_block_list': 'receiveBlockList', 'send_block_list': 'sendBlockList',
}
_NODE_NAMES = frozenset(OPTION_NAMES.values())
_BUFFER_TYPES = ['Buffer', 'TypedArray', 'DataView', 'string']


def _option_name(key: str) -> str:
    if key in _NODE_NAMES:
        return key
    if key in OPTION_NAMES:
        return OPTION_NAMES[key]
    raise TypeError(f'create_socket() got an unexpected keyword argument {key!r}')


def normalize_options(type_: object, keywords: Mapping[str, Any]) -> Options:
    """One options mapping with Node's names from ``type|options`` and keywords."""
    options: Options = {}
    if isinstance(type_, Mapping):
        options.update((OPTION_NAMES.get(k, k), v) for k, v in type_.items())
    elif type_ is not None:
        options['type'] = type_
    options.update((_option_name(k), v) for k, v in keywords.items())
    return options


def bind_args(port: Any, address: Any, callback: Any, rest: tuple[Any, ...], exclusive: Any,
              fd: Any) -> tuple[Any, Any, Any]:
    """``bind``'s ``(port_, address_)`` as Node reads them, and its callback:
    the last argument given (``arguments[arguments.length - 1]``) if callable,
    else None.  Arguments not given are UNDEFINED; a positional None counts
    as given (JS ``undefined``).  The ``exclusive``/``fd`` keywords make
    ``bind(options)`` of the named arguments."""
    if exclusive is None and fd is None and not rest:   # the common call, without lists
        last = (callback if callback is not UNDEFINED else address if address is not UNDEFINED
                else port if port is not UNDEFINED else None)
        return (None if port is UNDEFINED else port, None if address is UNDEFINED else address,
                last if callable(last) else None)
    if exclusive is not None or fd is not None:
        port = {key: value for key, value in (('port', port), ('address', address),
                                              ('exclusive', exclusive), ('fd', fd))
                if value is not None and value is not UNDEFINED}
        address = UNDEFINED
    given = [port, address, callback, *rest]
    while given and given[-1] is UNDEFINED:
        given.pop()
    last = given[-1] if given else None
    return (None if port is UNDEFINED else port, None if address is UNDEFINED else address,
            last if callable(last) else None)


# Where positional arguments go when a send also has keywords: Node's short
# form (msg, port, address, callback) unless the keywords make it the long one.
_SEND_SHORT = ('port', 'address', 'callback')
_SEND_LONG = ('offset', 'length', 'port', 'address', 'callback')


def send_keyword_args(args: tuple[Any, ...], keywords: dict[str, Any]) -> dict[str, Any]:
    """``send(msg, *args, **keywords)`` with at least one keyword, by name.

    Positional arguments fill Node's short form ``(port, address, callback)``;
    with ``offset``/``length`` among the keywords, or ``port`` and two
    positional arguments, the long form ``(offset, length, port, address,
    callback)``.  Slots named by a keyword are skipped.
    """
    long = 'offset' in keywords or 'length' in keywords or ('port' in keywords and len(args) > 1)
    slots = [name for name in (_SEND_LONG if long else _SEND_SHORT) if name not in keywords]
    if len(args) > len(slots):
        raise TypeError(f'send() got {len(args)} positional arguments after msg besides '
                        f'the keywords {sorted(keywords)}; at most {len(slots)} fit')
    named = dict(zip(slots, args, strict=False))
    named.update(keywords)
    return named


def normalize_send_args(connected: bool, msg: Any, args: tuple[Any, ...], offset: Any,
                        length: Any, port: Any, address: Any, callback: Any
                        ) -> tuple[Any, Any, Any, Any]:
    """``(buffer, port, address, callback)`` of a ``send`` call: Node's
    positional forms read as Node reads them, or the keywords by name."""
    keywords = {name: value for name, value in (
        ('offset', offset), ('length', length), ('port', port), ('address', address),
        ('callback', callback)) if value is not None}
    if keywords:
        named = send_keyword_args(args, keywords)
        buffer = msg
        if 'offset' in named or 'length' in named:
            buffer = slice_buffer(msg, named.get('offset', 0), named.get('length', UNDEFINED))
        port, address = named.get('port'), named.get('address')
        if connected and (truthy(port) or truthy(address)):
            raise errors.ERR_SOCKET_DGRAM_IS_CONNECTED()
        return buffer, port, address, named.get('callback')
    # Node reads six parameters; JS ignores any more.
    offset, length, port, address, callback = (*args, None, None, None, None, None)[:5]
    if not connected:
        if truthy(address) or (truthy(port) and not callable(port)):   # Node's long form
            return slice_buffer(msg, offset, length), port, address, callback
        return msg, offset, length, port                   # (msg, port, address, callback)
    if validators.is_number(length):
        msg = slice_buffer(msg, offset, length)
        if callable(port):
            callback, port = port, None
    else:
        callback = offset
    if truthy(port) or truthy(address):
        raise errors.ERR_SOCKET_DGRAM_IS_CONNECTED()
    return msg, port, address, callback


# A JS string is UTF-16: a high and a low surrogate in a row are one character.
_SURROGATE_PAIR = re.compile('[\ud800-\udbff][\udc00-\udfff]')
_SURROGATE = re.compile('[\ud800-\udfff]')


def _joined_pair(match: re.Match[str]) -> str:
    pair = match[0]
    return chr(0x10000 + ((ord(pair[0]) - 0xD800) << 10) + (ord(pair[1]) - 0xDC00))


def utf8(text: str) -> bytes:
    """A str as Node encodes a string in UTF-8 (``Buffer.from(string)``): a
    surrogate pair is the character it spells, a lone surrogate U+FFFD."""
    try:
        return text.encode()
    except UnicodeEncodeError:   # surrogates: rare, so only then the slow way
        return _SURROGATE.sub('\ufffd', _SURROGATE_PAIR.sub(_joined_pair, text)).encode()


def as_bytes_like(value: object) -> Any:
    """A str as UTF-8 (``utf8``), a bytes-like object as bytes (a memoryview per
    byte); else None."""
    if isinstance(value, (bytes, bytearray)):
        return value
    if isinstance(value, str):
        return utf8(value)
    if isinstance(value, memoryview):
        return value if value.format == 'B' and value.ndim == 1 else value.cast('B')
    return None


def to_buffer_list(buffer: object) -> list[Any]:
    """Node's message normalisation: one buffer, or a list of them (``fixBufferList``)."""
    if not isinstance(buffer, (list, tuple)):
        single = as_bytes_like(buffer)
        if single is None:
            raise errors.ERR_INVALID_ARG_TYPE('buffer', _BUFFER_TYPES, buffer)
        return [single]
    buffers = [as_bytes_like(item) for item in buffer]
    if any(item is None for item in buffers):
        raise errors.ERR_INVALID_ARG_TYPE('buffer list arguments', _BUFFER_TYPES, buffer)
    return buffers


def slice_buffer(buffer: object, offset: object, length: object) -> memoryview:
    """Node's ``sliceBuffer``: ``length`` bytes of ``buffer`` from ``offset`` (a view,
    no copy); ``length`` UNDEFINED (a keyword send without it): the rest."""
    if isinstance(buffer, (str, bytes, bytearray, memoryview)):
        view = memoryview(as_bytes_like(buffer))
    else:
        raise errors.ERR_INVALID_ARG_TYPE('buffer', _BUFFER_TYPES, buffer)
    start = to_uint32(offset)
    size = max(view.nbytes - start, 0) if length is UNDEFINED else to_uint32(length)
    if start > view.nbytes:
        raise errors.ERR_BUFFER_OUT_OF_BOUNDS('offset')
    if start + size > view.nbytes:
        raise errors.ERR_BUFFER_OUT_OF_BOUNDS('length')
    return view[start:start + size]
