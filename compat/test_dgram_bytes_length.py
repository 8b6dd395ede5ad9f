# Node: test/parallel/test-dgram-bytes-length.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    message = b'Some bytes'
    client = dgram.create_socket('udp4')

    def on_sent(err: BaseException | None, nbytes: int) -> None:
        assert nbytes == len(message), nbytes
        client.close()

    client.send(message, 0, len(message), 41234, 'localhost', on_sent)


test_dgram_bytes_length = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
