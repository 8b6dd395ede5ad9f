# Node: test/parallel/test-dgram-close.js
# Ensure that if a dgram socket is closed before the DNS lookup completes, it
# won't crash.
import dgram_uv as dgram
from compat import common


def main() -> None:
    buf = bytes([42]) * 1024  # Buffer.alloc(1024, 42)

    socket = dgram.create_socket('udp4')
    handle = socket._state.handle  # socket[kStateSymbol].handle

    def on_bound() -> None:
        nonlocal socket
        socket.send(buf, 0, len(buf),
                    port_getter.address().port,
                    port_getter.address().address)

        assert socket.close(common.must_call()) is socket
        socket.on('close', common.must_call())
        socket = None

        # Verify that accessing handle after closure doesn't throw
        def inner() -> None:
            print('Handle fd is: ', handle.fd)

        dgram.set_immediate(lambda: dgram.set_immediate(inner))

        port_getter.close()

    # Get a random port for send (bind() returns the socket, as in Node)
    port_getter = dgram.create_socket('udp4').bind(0, 'localhost', common.must_call(on_bound))


test_dgram_close = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
