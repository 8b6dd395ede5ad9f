# Node: test/parallel/test-dgram-oob-buffer.js
# Some operating systems report errors when an UDP message is sent to an
# unreachable host. This error can be reported by sendto() and even by
# recvfrom(). Node should not propagate this error to the user.

import dgram_uv as dgram
from compat import common


def main() -> None:
    socket = dgram.create_socket('udp4')
    buf = bytes([1, 2, 3, 4])

    def on_bound() -> None:
        address = port_getter.address().address
        port = port_getter.address().port

        def on_closed() -> None:
            socket.send(buf, 0, 0, port, address, common.must_not_call())
            socket.send(buf, 0, 4, port, address, common.must_not_call())
            socket.send(buf, 1, 3, port, address, common.must_not_call())
            socket.send(buf, 3, 1, port, address, common.must_not_call())
            # Since length of zero means nothing, don't error despite OOB.
            socket.send(buf, 4, 0, port, address, common.must_not_call())

            socket.close()

        port_getter.close(common.must_call(on_closed))

    port_getter = dgram.create_socket('udp4').bind(0, 'localhost', common.must_call(on_bound))


test_dgram_oob_buffer = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
