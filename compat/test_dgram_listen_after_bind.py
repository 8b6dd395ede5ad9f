# Node: test/parallel/test-dgram-listen-after-bind.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    socket = dgram.create_socket('udp4')

    socket.bind()

    fired = False
    timer = dgram.set_timeout(lambda: socket.close(), 100)

    def on_listening() -> None:
        nonlocal fired
        dgram.clear_timeout(timer)
        fired = True
        socket.close()

    def on_close() -> None:
        assert fired, 'listening should fire after bind'

    socket.on('listening', common.must_call(on_listening))
    socket.on('close', common.must_call(on_close))


test_dgram_listen_after_bind = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
