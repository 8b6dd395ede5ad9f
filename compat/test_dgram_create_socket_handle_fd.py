# Node: test/parallel/test-dgram-create-socket-handle-fd.js
import socket as pysocket

from compat import common
from dgram_uv._binding.udp_wrap import UDP  # internalBinding('udp_wrap').UDP
from dgram_uv._internal.dgram import (
    create_socket_handle as _create_socket_handle,  # dgram._createSocketHandle
)


def _is_number(value: object) -> bool:
    # typeof value === 'number': an int or float, never a bool.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def main() -> None:
    # (Node skips this test on Windows only.)
    err = _create_socket_handle(common.localhost_ipv4, 0, 'udp4', 42)
    assert isinstance(err, int) and _is_number(err) and err < 0, err

    # Create a handle with fd.
    raw_handle = UDP()
    err = raw_handle.bind(common.localhost_ipv4, 0, 0)
    assert err >= 0, str(err)
    assert raw_handle.fd != -1

    handle = _create_socket_handle(None, 0, 'udp4', raw_handle.fd)
    assert isinstance(handle, UDP)
    assert _is_number(handle.fd)
    assert handle.fd > 0

    # internalBinding('tcp_wrap').TCP(SOCKET).listen() -> a listening socket of Python's module.
    raw_tcp = pysocket.socket(pysocket.AF_INET, pysocket.SOCK_STREAM)
    raw_tcp.listen()
    assert raw_tcp.fileno() != -1

    handle = _create_socket_handle(None, 0, 'udp4', raw_tcp.fileno())
    assert isinstance(handle, int) and _is_number(handle) and handle < 0, handle
    raw_tcp.close()


test_dgram_create_socket_handle_fd = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
