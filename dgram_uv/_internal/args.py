"""Python calling conventions mapped onto Node's dgram arguments.

Options come as Node's mapping (``{'type': 'udp4', 'reuseAddr': True}``) or as
keywords (``type='udp4', reuse_addr=True``); messages as str, bytes-like
objects or lists/tuples of them (a JS string, Buffer/TypedArray/DataView, Array).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from . import errors, validators

AnyCallback = Callable[..., Any]

UNDEFINED: Any = object()
"""JS ``undefined`` where Python needs a value: an omitted argument or an absent
option (an explicit None is JS ``null``)."""
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


def normalize_bind_args(args: tuple[Any, ...], keywords: dict[str, Any]) -> tuple[Any, ...]:
    """``bind(port=, address=, callback=)`` as Node's positional arguments;
    ``exclusive=``/``fd=`` make it the options form ``bind({...}, callback)``."""
    if not keywords:
        return args
    if 'exclusive' in keywords or 'fd' in keywords:
        if args:
            raise TypeError('bind() takes its options either as a mapping or as keywords')
        callback = keywords.pop('callback', None)
        return (dict(keywords), callback) if callback is not None else (dict(keywords),)
    merged = list(args)
    for index, name in enumerate(('port', 'address', 'callback')):
        if name not in keywords:
            continue
        if len(merged) > index:
            raise TypeError(f'bind() got multiple values for argument {name!r}')
        merged.extend([None] * (index - len(merged)))
        merged.append(keywords.pop(name))
    if keywords:
        raise TypeError(f'bind() got an unexpected keyword argument {next(iter(keywords))!r}')
    return tuple(merged)


def truthy(value: object) -> bool:
    """JS truthiness: every object is true, even an empty mapping or list."""
    if value is None or value is False or value == '':
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == value and value != 0
    return True


def to_uint32(value: object) -> int:
    """JS ``value >>> 0``."""
    number = float(value) if isinstance(value, bool) else validators.to_number(value) \
        if value is not None else math.nan
    if not math.isfinite(number):
        return 0
    return int(number) % 2 ** 32


def as_bytes_like(value: object) -> Any:
    """A str as UTF-8, a bytes-like object as bytes (a memoryview per byte); else None."""
    if isinstance(value, (bytes, bytearray)):
        return value
    if isinstance(value, str):
        return value.encode()
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
    """Node's ``sliceBuffer``: ``length`` bytes of ``buffer`` from ``offset`` (a view, no copy)."""
    if isinstance(buffer, (str, bytes, bytearray, memoryview)):
        view = memoryview(as_bytes_like(buffer))
    else:
        raise errors.ERR_INVALID_ARG_TYPE('buffer', _BUFFER_TYPES, buffer)
    start, size = to_uint32(offset), to_uint32(length)
    if start > view.nbytes:
        raise errors.ERR_BUFFER_OUT_OF_BOUNDS('offset')
    if start + size > view.nbytes:
        raise errors.ERR_BUFFER_OUT_OF_BOUNDS('length')
    return view[start:start + size]
