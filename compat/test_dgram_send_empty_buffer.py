# Node: test/parallel/test-dgram-send-empty-buffer.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    def on_bound() -> None:
        port = client.address().port  # `this` is client

        def on_message(buffer: bytes, rinfo: object) -> None:
            assert len(buffer) == 0, buffer
            dgram.clear_interval(interval)
            client.close()

        client.on('message', common.must_call(on_message))

        buf = b''
        interval = dgram.set_interval(
            lambda: client.send(buf, 0, 0, port, '127.0.0.1', common.must_call()), 10)

    client.bind(0, common.must_call(on_bound))


test_dgram_send_empty_buffer = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
