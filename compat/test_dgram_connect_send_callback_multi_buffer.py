# Node: test/parallel/test-dgram-connect-send-callback-multi-buffer.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    def on_sent(err: BaseException | None, nbytes: int) -> None:
        assert nbytes == len(buf1) + len(buf2), nbytes

    message_sent = common.must_call(on_sent)

    buf1 = b'x' * 256
    buf2 = b'y' * 256

    def on_listening() -> None:
        port = client.address().port
        client.connect(port, common.must_call(lambda: client.send([buf1, buf2], message_sent)))

    def on_message(buf: bytes, info: object) -> None:
        expected = buf1 + buf2
        assert buf == expected, 'message was received correctly'
        client.close()

    client.on('listening', common.must_call(on_listening))
    client.on('message', common.must_call(on_message))

    client.bind(0)


test_dgram_connect_send_callback_multi_buffer = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
