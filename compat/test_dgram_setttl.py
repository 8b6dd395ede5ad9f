# Node: test/parallel/test-dgram-setTTL.js
import re

import dgram_uv as dgram
from compat import common


def main() -> None:
    socket = dgram.create_socket('udp4')

    socket.bind(0)

    def on_listening() -> None:
        result = socket.set_ttl(16)
        assert result == 16

        common.assert_throws(
            lambda: socket.set_ttl('foo'),
            code='ERR_INVALID_ARG_TYPE',
            name='TypeError',
            message='The "ttl" argument must be of type number. Received type str'
                    " ('foo')",
        )

        # TTL must be a number from > 0 to < 256
        # Node's /^Error: setTTL EINVAL$/ matches String(err) == `${name}: ${message}`.
        common.assert_throws(lambda: socket.set_ttl(1000),
                             name='Error', message=re.compile(r'^setTTL EINVAL$'))

        socket.close()

    socket.on('listening', common.must_call(on_listening))


test_dgram_setttl = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
