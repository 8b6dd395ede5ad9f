# Node: test/parallel/test-dgram-bind-error-repeat.js
import dgram_uv as dgram
from compat import common

# Regression test for https://github.com/nodejs/node/issues/30209
# No warning should be emitted when re-trying `.bind()` on UDP sockets
# repeatedly.


def main() -> None:
    common.on_warning(common.must_not_call())

    reserve_port_socket = dgram.create_socket('udp4')

    def on_reserved() -> None:
        port = reserve_port_socket.address().port

        new_socket = dgram.create_socket('udp4')

        errors = 0

        def on_error(err: BaseException) -> None:
            nonlocal errors
            errors += 1
            if errors < 20:
                new_socket.bind(port, common.must_not_call())
            else:
                new_socket.close()
                reserve_port_socket.close()

        new_socket.on('error', common.must_call(on_error, 20))
        new_socket.bind(port, common.must_not_call())

    reserve_port_socket.bind(on_reserved)


test_dgram_bind_error_repeat = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
