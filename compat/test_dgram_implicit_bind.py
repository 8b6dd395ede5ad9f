# Node: test/parallel/test-dgram-implicit-bind.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    source = dgram.create_socket('udp4')
    target = dgram.create_socket('udp4')
    messages = 0

    def on_message(buf: bytes, rinfo: object) -> None:
        nonlocal messages
        if buf.decode() == 'abc':
            messages += 1
        if buf.decode() == 'def':
            messages += 1
        if messages == 2:
            source.close()
            target.close()

    target.on('message', common.must_call(on_message, 2))

    def on_listening() -> None:
        # Second .send() call should not throw a bind error.
        port = target.address().port  # `this` is target
        source.send(b'abc', 0, 3, port, '127.0.0.1')
        source.send(b'def', 0, 3, port, '127.0.0.1')

    target.on('listening', common.must_call(on_listening))

    target.bind(0)


test_dgram_implicit_bind = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
