# Node: test/parallel/test-dgram-connect.js
import re

import dgram_uv as dgram
from compat import common

PORT = 12345


def main() -> None:
    client = dgram.create_socket('udp4')

    def on_connect() -> None:
        remote_addr = client.remote_address()
        assert remote_addr.port == PORT
        common.assert_throws(
            lambda: client.connect(PORT, common.must_not_call()),
            name='Error',
            message='Already connected',
            code='ERR_SOCKET_DGRAM_IS_CONNECTED',
        )

        client.disconnect()
        common.assert_throws(
            lambda: client.disconnect(),
            name='Error',
            message='Not connected',
            code='ERR_SOCKET_DGRAM_NOT_CONNECTED',
        )

        common.assert_throws(
            lambda: client.remote_address(),
            name='Error',
            message='Not connected',
            code='ERR_SOCKET_DGRAM_NOT_CONNECTED',
        )

        client.once('connect', common.must_call(lambda: client.close()))
        client.connect(PORT)

    client.connect(PORT, common.must_call(on_connect))

    common.assert_throws(
        lambda: client.connect(PORT),
        name='Error',
        message='Already connected',
        code='ERR_SOCKET_DGRAM_IS_CONNECTED',
    )

    common.assert_throws(
        lambda: client.disconnect(),
        name='Error',
        message='Not connected',
        code='ERR_SOCKET_DGRAM_NOT_CONNECTED',
    )

    # JS null and undefined both map to None.
    for port in [0, None, 78960, None]:
        common.assert_throws(
            lambda port=port: client.connect(port),
            name='RangeError',
            message=re.compile(r'^Port should be > 0 and < 65536'),
            code='ERR_SOCKET_BAD_PORT',
        )


test_dgram_connect = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
