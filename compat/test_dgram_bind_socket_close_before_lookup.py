# Node: test/parallel/test-dgram-bind-socket-close-before-lookup.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    # Do not emit error event in callback which is called by lookup when socket is closed
    def lookup(*args: Any) -> None:
        # Call lookup callback after 1s
        dgram.set_timeout(lambda: args[-1](Exception('an error')), 1000)

    socket = dgram.create_socket({'type': 'udp4', 'lookup': lookup})

    socket.on('error', common.must_not_call())
    socket.bind(12345, 'localhost')
    # Close the socket before calling DNS lookup callback
    socket.close()


test_dgram_bind_socket_close_before_lookup = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
