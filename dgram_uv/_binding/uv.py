"""libuv's status codes, as Node's ``internalBinding('uv')`` exposes them.

``uv.UV_EBADF == -9``; ``uv.errname(-9) == 'EBADF'``; ``uv.strerror(-98) ==
'address already in use'``.  The table is pyuv's (``pyuv.errno.errorcode``),
which is libuv's own ``uv_err_name`` table, completed with the codes libuv 1.49
(Node v23.5.0's) maps and an older system libuv may not.

``status_of`` is the one place where a pyuv exception (or an ``OSError`` from a
system call made on a handle's fd) becomes a libuv status code.
"""

from __future__ import annotations

import errno as _errno

import pyuv

__all__ = ['codes', 'errmap_get', 'errname', 'strerror', 'status_of']

codes: dict[str, int] = {str(name): int(code) for code, name in pyuv.errno.errorcode.items()}
globals().update(codes)

UV_EINVAL = codes['UV_EINVAL']

_NEWER_CODES = {
    -_errno.EUNATCH: ('EUNATCH', 'protocol driver not attached'),
    -_errno.ENODATA: ('ENODATA', 'no data available'),
}


def __getattr__(name: str) -> int:
    # Typed access for the UV_* names set above through globals().
    try:
        return codes[name]
    except KeyError:
        raise AttributeError(name) from None


def errmap_get(status: int) -> tuple[str, str] | None:
    """Node's ``uvErrmapGet``: (name, message) for a status libuv maps, else None."""
    name = pyuv.errno.errorcode.get(status)
    if name is not None:
        return str(name)[3:], str(pyuv.errno.strerror(status))
    return _NEWER_CODES.get(status)


def errname(status: int) -> str:
    """``uv_err_name`` (Node's ``getSystemErrorName``): 'EADDRINUSE' for -98,
    'Unknown system error -37' for a status libuv does not map."""
    entry = errmap_get(status)
    return entry[0] if entry else f'Unknown system error {status}'


def strerror(status: int) -> str:
    """``uv_strerror``: 'address already in use' for -98."""
    entry = errmap_get(status)
    return entry[1] if entry else f'Unknown system error {status}'


def status_of(err: BaseException) -> int:
    """The libuv status code of a failure: a pyuv error carries it as its first
    argument; an ``OSError`` from a system call is ``-errno``; anything else is
    one of pyuv's own argument checks, which libuv reports as ``UV_EINVAL``."""
    if isinstance(err, OSError):
        return -(err.errno or _errno.EINVAL)
    args = err.args
    if args and isinstance(args[0], int) and not isinstance(args[0], bool):
        return int(args[0])
    return UV_EINVAL
