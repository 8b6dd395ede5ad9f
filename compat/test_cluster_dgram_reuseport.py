# Node: test/parallel/test-cluster-dgram-reuseport.js
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster

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


def main() -> None:
    if common.is_windows:
        common.skip('dgram clustering is currently not supported on windows.')

    if cluster.is_primary:
        def on_exit(code: Any, *args: Any) -> None:
            assert code == 0

        # A Promise's .then() callbacks run as microtasks: next_tick here.
        check_support_reuse_port(
            lambda *args: dgram.next_tick(
                lambda: cluster.fork().on('exit', common.must_call(on_exit))),
            lambda *args: dgram.next_tick(
                lambda: common.skip('The `reusePort` option is not supported')),
        )
        return

    waiting = 2

    def close() -> None:
        nonlocal waiting
        waiting -= 1
        if waiting == 0:
            cluster.worker.disconnect()

    cluster._get_server = common.must_not_call()

    socket1 = dgram.create_socket(options)
    socket2 = dgram.create_socket(options)

    def on_bound2() -> None:
        socket1.close(close)
        socket2.close(close)

    socket1.bind(0, lambda: socket2.bind(socket1.address().port, on_bound2))


test_cluster_dgram_reuseport = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
