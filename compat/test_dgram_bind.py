# Node: test/parallel/test-dgram-bind.js
import re

import dgram_uv as dgram
from compat import common


def main() -> None:
    socket = dgram.create_socket('udp4')

    def on_listening() -> None:
        common.assert_throws(lambda: socket.bind(),
                             code='ERR_SOCKET_ALREADY_BOUND',
                             name='Error',
                             message=re.compile(r'^Socket is already bound$'))
        socket.close()

    socket.on('listening', common.must_call(on_listening))

    result = socket.bind()  # Should not throw.
    assert result is socket  # Should have returned itself.


test_dgram_bind = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
