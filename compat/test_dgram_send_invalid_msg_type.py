# Node: test/parallel/test-dgram-send-invalid-msg-type.js
# This test ensures that a TypeError is raised when the argument to `send()`
# or `sendto()` is anything but a Buffer.
# https://github.com/nodejs/node-v0.x-archive/issues/4496
import dgram_uv as dgram
from compat import common


def main() -> None:
    # Should throw but not crash.
    socket = dgram.create_socket('udp4')
    # assert.throws(fn, TypeError) -> a Python TypeError whose Node name is 'TypeError'.
    common.assert_throws(lambda: socket.send(True, 0, 1, 1, 'host'), name='TypeError',
                         type=TypeError)
    common.assert_throws(lambda: socket.sendto(5, 0, 1, 1, 'host'), name='TypeError',
                         type=TypeError)
    socket.close()


test_dgram_send_invalid_msg_type = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
