# Node: test/parallel/test-dgram-close-signal.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    # Test bad signal.
    common.assert_throws(
        lambda: dgram.create_socket({'type': 'udp4', 'signal': {}}),
        code='ERR_INVALID_ARG_TYPE',
        name='TypeError')

    # Test close.
    controller = dgram.AbortController()
    signal = controller.signal
    server = dgram.create_socket({'type': 'udp4', 'signal': signal})
    server.on('close', common.must_call())
    controller.abort()

    # Test close with pre-aborted signal.
    signal = dgram.AbortSignal.abort()
    server = dgram.create_socket({'type': 'udp4', 'signal': signal})
    server.on('close', common.must_call())


test_dgram_close_signal = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
