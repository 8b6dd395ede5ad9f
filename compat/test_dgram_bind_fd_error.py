# Node: test/parallel/test-dgram-bind-fd-error.js
import re
import socket as pysocket

import dgram_uv as dgram
from compat import common

TYPE = 'udp4'


def main() -> None:
    # Throw when the fd is occupied according to https://github.com/libuv/libuv/pull/1851.
    socket = dgram.create_socket(TYPE)

    def on_bound() -> None:
        another_socket = dgram.create_socket(TYPE)
        handle = socket._state.handle  # socket[kStateSymbol].handle

        common.assert_throws(
            lambda: another_socket.bind({'fd': handle.fd}),
            code='EEXIST',
            name='Error',
            message=re.compile(r'^open EEXIST$'),
        )

        socket.close()

    socket.bind(common.must_call(on_bound))

    # Throw when the type of fd is not "UDP".
    # internalBinding('tcp_wrap').TCP -> a listening TCP socket from Python's socket module.
    handle = pysocket.socket(pysocket.AF_INET, pysocket.SOCK_STREAM)
    handle.listen()

    fd = handle.fileno()
    assert fd != -1

    sock2 = dgram.create_socket(TYPE)
    common.assert_throws(
        lambda: sock2.bind({'fd': fd}),
        code='ERR_INVALID_FD_TYPE',
        name='TypeError',
        message=re.compile(r'^Unsupported fd type: TCP$'),
    )

    handle.close()


test_dgram_bind_fd_error = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
