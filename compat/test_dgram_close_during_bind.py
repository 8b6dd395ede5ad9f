# Node: test/parallel/test-dgram-close-during-bind.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    socket = dgram.create_socket('udp4')
    handle = socket._state.handle  # socket[kStateSymbol].handle
    lookup = handle.lookup

    # Test the scenario where the socket is closed during a bind operation.
    handle.bind = common.must_not_call('bind() should not be called.')

    def patched_lookup(address: Any, callback: Any) -> None:
        socket.close(common.must_call(lambda: lookup(address, callback)))

    handle.lookup = common.must_call(patched_lookup)

    socket.bind(common.must_not_call('Socket should not bind.'))


test_dgram_close_during_bind = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
