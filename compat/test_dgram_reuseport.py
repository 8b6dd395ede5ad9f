# Node: test/parallel/test-dgram-reuseport.js
from typing import Any

import dgram_uv as dgram
from compat import common

# Node's test/common/udp.js: `options` and checkSupportReusePort() (a Promise there;
# callbacks here).
options = {'type': 'udp4', 'reusePort': True}


def check_support_reuse_port(resolve: Any, reject: Any) -> None:
    socket = dgram.create_socket(options)
    socket.bind(0)
    socket.on('listening', lambda: socket.close(resolve))

    def on_error(err: Any) -> None:
        print('The `reusePort` option is not supported:', err.message)
        socket.close()
        reject(err)

    socket.on('error', on_error)


def do_test() -> None:  # Node: test()
    socket1 = dgram.create_socket(options)
    socket2 = dgram.create_socket(options)

    def on_bound2() -> None:
        socket1.close()
        socket2.close()

    socket1.bind(0, common.must_call(
        lambda: socket2.bind(socket1.address().port, common.must_call(on_bound2))))


def main() -> None:
    # A Promise's .then() callbacks run as microtasks: next_tick here.
    check_support_reuse_port(
        lambda *args: dgram.next_tick(do_test),
        lambda *args: common.skip('The `reusePort` option is not supported'),
    )


test_dgram_reuseport = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
