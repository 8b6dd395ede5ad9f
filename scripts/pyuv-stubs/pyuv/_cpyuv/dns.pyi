# pyuv._cpyuv.dns: uv_getaddrinfo / uv_getnameinfo. Without a callback the call
# is synchronous and returns the result (raising pyuv.error.UVError); with one,
# it returns the request and the callback gets (result, error), result None
# when error (a negative UV_EAI_* status) is set.
from collections.abc import Callable
from typing import Any, final, overload, type_check_only

from _typeshed import structseq

from . import GAIRequest, GNIRequest, Loop, _Address, _AddressIn

# The items of getaddrinfo's result (a struct sequence named addrinfo_result).
@final
@type_check_only
class AddrinfoResult(structseq[Any], tuple[int, int, int, str, _Address]):
    @property
    def family(self) -> int: ...
    @property
    def socktype(self) -> int: ...
    @property
    def proto(self) -> int: ...
    @property
    def canonname(self) -> str: ...
    @property
    def sockaddr(self) -> _Address: ...

_GAICallback = Callable[[list[AddrinfoResult] | None, int | None], object]
_GNICallback = Callable[[tuple[str, str] | None, int | None], object]

# host: a str is IDNA-encoded; port: a service name or a number 0-65535.
@overload
def getaddrinfo(
    loop: Loop,
    host: str | bytes | None,
    port: str | bytes | int | None = None,
    family: int = 0,
    socktype: int = 0,
    protocol: int = 0,
    flags: int = 0,
    callback: None = None,
) -> list[AddrinfoResult]: ...
@overload
def getaddrinfo(
    loop: Loop,
    host: str | bytes | None,
    port: str | bytes | int | None,
    family: int,
    socktype: int,
    protocol: int,
    flags: int,
    callback: _GAICallback,
) -> GAIRequest: ...
@overload
def getaddrinfo(
    loop: Loop,
    host: str | bytes | None,
    port: str | bytes | int | None = None,
    family: int = 0,
    socktype: int = 0,
    protocol: int = 0,
    flags: int = 0,
    *,
    callback: _GAICallback,
) -> GAIRequest: ...

# Returns (host, service).
@overload
def getnameinfo(
    loop: Loop, address: _AddressIn, flags: int = 0, callback: None = None
) -> tuple[str, str]: ...
@overload
def getnameinfo(loop: Loop, address: _AddressIn, flags: int, callback: _GNICallback) -> GNIRequest: ...
@overload
def getnameinfo(
    loop: Loop, address: _AddressIn, flags: int = 0, *, callback: _GNICallback
) -> GNIRequest: ...
