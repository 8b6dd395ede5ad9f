# Node: test/parallel/test-dgram-send-multi-string-array.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    socket = dgram.create_socket('udp4')
    data = ['foo', 'bar', 'baz']

    def on_message(msg: bytes, rinfo: Any) -> None:
        socket.close()
        assert msg.decode() == ''.join(data)

    socket.on('message', common.must_call(on_message))

    socket.bind(lambda: socket.send(data, socket.address().port, 'localhost'))


test_dgram_send_multi_string_array = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
