# Node: test/parallel/test-dgram-send-callback-buffer-empty-address.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    buf = b'x' * 256

    def on_sent(nbytes: int) -> None:
        assert nbytes == len(buf), nbytes
        client.close()

    on_message = common.must_succeed(on_sent)

    client.bind(0, lambda: client.send(buf, client.address().port, on_message))


test_dgram_send_callback_buffer_empty_address = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
