# Node: test/parallel/test-dgram-create-socket-handle.js
from compat import common
from dgram_uv._binding.udp_wrap import UDP  # internalBinding('udp_wrap').UDP
from dgram_uv._internal.dgram import (
    create_socket_handle as _create_socket_handle,  # require('internal/dgram')
)


def _is_number(value: object) -> bool:
    # typeof value === 'number': an int or float, never a bool.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def main() -> None:
    # Create a handle that is not bound.
    handle = _create_socket_handle(None, None, 'udp4')

    assert isinstance(handle, UDP)
    assert _is_number(handle.fd)
    assert handle.fd < 0

    # Create a bound handle.
    handle = _create_socket_handle(common.localhost_ipv4, 0, 'udp4')

    assert isinstance(handle, UDP)
    assert _is_number(handle.fd)

    # (not Windows)
    assert handle.fd > 0

    # Return an error if binding fails.
    err = _create_socket_handle('localhost', 0, 'udp4')

    assert _is_number(err)
    assert err < 0


test_dgram_create_socket_handle = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
