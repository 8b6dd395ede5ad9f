# Node: test/parallel/test-dgram-send-callback-multi-buffer-empty-address.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    def on_sent(nbytes: int) -> None:
        assert nbytes == len(buf1) + len(buf2), nbytes

    message_sent = common.must_succeed(on_sent)

    buf1 = b'x' * 256
    buf2 = b'y' * 256

    def on_listening() -> None:
        port = client.address().port  # `this` is client
        client.send([buf1, buf2], port, message_sent)

    def on_message(buf: bytes, rinfo: object) -> None:
        expected = buf1 + buf2
        assert buf == expected, 'message was received correctly'
        client.close()

    client.on('listening', on_listening)
    client.on('message', common.must_call(on_message))

    client.bind(0)


test_dgram_send_callback_multi_buffer_empty_address = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
