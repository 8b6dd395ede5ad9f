# Node: test/parallel/test-dgram-msgsize.js
import dgram_uv as dgram
from compat import common

# Send a too big datagram. The destination doesn't matter because it's
# not supposed to get sent out anyway.


def main() -> None:
    buf = bytes(256 * 1024)  # Buffer.allocUnsafe: the contents do not matter
    sock = dgram.create_socket('udp4')

    def cb(err: BaseException | None, *rest: object) -> None:
        assert isinstance(err, Exception), err
        assert getattr(err, 'code', None) == 'EMSGSIZE', err
        assert getattr(err, 'address', None) == '127.0.0.1', err
        assert getattr(err, 'port', None) == 12345, err
        assert str(err) == 'send EMSGSIZE 127.0.0.1:12345', str(err)
        sock.close()

    sock.send(buf, 0, len(buf), 12345, '127.0.0.1', common.must_call(cb))


test_dgram_msgsize = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
