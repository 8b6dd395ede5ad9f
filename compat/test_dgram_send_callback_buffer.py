# Node: test/parallel/test-dgram-send-callback-buffer.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    buf = bytes(256)  # Buffer.allocUnsafe(256)

    def on_sent(nbytes: int) -> None:
        assert nbytes == len(buf)
        client.close()

    on_message = common.must_succeed(on_sent)

    client.bind(0, lambda: client.send(buf,
                                       client.address().port,
                                       common.localhost_ipv4,
                                       on_message))


test_dgram_send_callback_buffer = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
