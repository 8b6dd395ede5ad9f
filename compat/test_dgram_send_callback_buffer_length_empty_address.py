# Node: test/parallel/test-dgram-send-callback-buffer-length-empty-address.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    buf = b'x' * 256  # Buffer.alloc(256, 'x')
    offset = 20
    len_ = len(buf) - offset

    def message_sent(nbytes: int) -> None:
        assert nbytes != len(buf)
        assert nbytes == len(buf) - offset
        client.close()

    on_message = common.must_succeed(message_sent)

    client.bind(0, lambda: client.send(buf, offset, len_,
                                       client.address().port,
                                       on_message))


test_dgram_send_callback_buffer_length_empty_address = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
