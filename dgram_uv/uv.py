"""libuv's status codes by name, as Node's ``internalBinding('uv')`` exposes them.

``uv.UV_EBADF == -9``; ``uv.errname(-9) == 'EBADF'``. The table is pyuv's
(``pyuv.errno.errorcode``), which is libuv's own ``uv_err_name`` table.
"""

from __future__ import annotations

from typing import Any

import pyuv

from .errors import uv_err_name as errname

__all__ = ['errname', 'codes']

codes: dict[str, int] = {str(name): int(code) for code, name in pyuv.errno.errorcode.items()}
globals().update(codes)


def __getattr__(name: str) -> Any:
    # Typed access for the names set above through globals().
    try:
        return codes[name]
    except KeyError:
        raise AttributeError(name) from None
