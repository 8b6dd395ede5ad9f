# Node: test/parallel/test-dgram-send-callback-buffer-length.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    buf = bytes(256)  # Buffer.allocUnsafe(256): the contents do not matter
    offset = 20
    length = len(buf) - offset

    def message_sent(nbytes: int) -> None:
        assert nbytes != len(buf), nbytes
        assert nbytes == len(buf) - offset, nbytes
        client.close()

    on_sent = common.must_succeed(message_sent)

    client.bind(0, lambda: client.send(buf, offset, length,
                                       client.address().port,
                                       '127.0.0.1',
                                       on_sent))


test_dgram_send_callback_buffer_length = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
