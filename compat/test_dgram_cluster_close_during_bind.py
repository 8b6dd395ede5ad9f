# Node: test/parallel/test-dgram-cluster-close-during-bind.js
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster


def main() -> None:
    if common.is_windows:
        common.skip('dgram clustering is currently not supported on windows.')

    if cluster.is_primary:
        cluster.fork()
    else:
        # When the socket attempts to bind, it requests a handle from the cluster.
        # Close the socket before returning the handle from the cluster.
        socket = dgram.create_socket('udp4')
        _get_server = cluster._get_server

        def patched_get_server(self: Any, options: Any, callback: Any) -> None:
            def on_server(err: Any, handle: Any) -> None:
                assert err == 0 and not isinstance(err, bool), err

                # When the socket determines that it was already closed, it will
                # close the handle. Use handle.close() to terminate the test.
                close = handle.close

                def patched_close(*args: Any) -> Any:
                    dgram.set_immediate(lambda: cluster.worker.disconnect())
                    return close(*args)

                handle.close = common.must_call(patched_close)

                callback(err, handle)

            socket.close(common.must_call(
                lambda: _get_server(self, options, common.must_call(on_server))))

        cluster._get_server = common.must_call(patched_get_server)

        socket.bind(common.must_not_call('Socket should not bind.'))


test_dgram_cluster_close_during_bind = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
