# Node: test/parallel/test-diagnostics-channel-udp.js
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import diagnostics_channel as dc


def main() -> None:
    udp_socket_channel = dc.channel('udp.socket')

    def is_udp_socket(socket: Any) -> bool:
        return isinstance(socket, dgram.Socket)

    def on_socket(message: Any, *name: Any) -> None:   # ({ socket }) => ...
        socket = message['socket']
        assert is_udp_socket(socket) is True

    udp_socket_channel.subscribe(common.must_call(on_socket))
    socket = dgram.create_socket('udp4')
    socket.close()


test_diagnostics_channel_udp = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
