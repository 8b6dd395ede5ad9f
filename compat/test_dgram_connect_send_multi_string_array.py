# Node: test/parallel/test-dgram-connect-send-multi-string-array.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    socket = dgram.create_socket('udp4')
    data = ['foo', 'bar', 'baz']

    def on_message(msg: bytes, rinfo: object) -> None:
        socket.close()
        assert msg.decode() == ''.join(data), msg

    socket.on('message', common.must_call(on_message))

    socket.bind(0, lambda: socket.connect(socket.address().port,
                                          common.must_call(lambda: socket.send(data))))


test_dgram_connect_send_multi_string_array = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
