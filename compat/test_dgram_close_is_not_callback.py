# Node: test/parallel/test-dgram-close-is-not-callback.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    buf = bytes([42]) * 1024  # Buffer.alloc(1024, 42)

    socket = dgram.create_socket('udp4')

    def on_bound() -> None:
        socket.send(buf, 0, len(buf),
                    port_getter.address().port,
                    port_getter.address().address)

        # If close callback is not function, ignore the argument.
        socket.close('bad argument')
        port_getter.close()

        socket.on('close', common.must_call())

    # Get a random port for send (bind() returns the socket, as in Node)
    port_getter = dgram.create_socket('udp4').bind(0, 'localhost', common.must_call(on_bound))


test_dgram_close_is_not_callback = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
