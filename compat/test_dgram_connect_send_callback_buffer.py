# Node: test/parallel/test-dgram-connect-send-callback-buffer.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    buf = bytes(256)  # Buffer.allocUnsafe(256)

    def on_sent(nbytes: int) -> None:
        assert nbytes == len(buf)
        client.close()

    on_message = common.must_succeed(on_sent)

    client.bind(0, common.must_call(
        lambda: client.connect(client.address().port, common.must_call(
            lambda: client.send(buf, on_message)))))


test_dgram_connect_send_callback_buffer = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
