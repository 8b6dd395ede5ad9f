# Node: test/parallel/test-dgram-close-in-listening.js
# Ensure that if a dgram socket is closed before the sendQueue is drained
# will not crash

import dgram_uv as dgram
from compat import common


def main() -> None:
    buf = bytes([42]) * 1024

    socket = dgram.create_socket('udp4')

    socket.on('listening', lambda: socket.close())

    def on_bound() -> None:
        # Adds a listener to 'listening' to send the data when
        # the socket is available
        socket.send(buf, 0, len(buf),
                    port_getter.address().port,
                    port_getter.address().address)

        port_getter.close()

    port_getter = dgram.create_socket('udp4').bind(0, 'localhost', common.must_call(on_bound))


test_dgram_close_in_listening = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
