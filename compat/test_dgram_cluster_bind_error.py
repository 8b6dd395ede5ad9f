# Node: test/parallel/test-dgram-cluster-bind-error.js
import re
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster
from dgram_uv._binding.uv import UV_UNKNOWN


def main() -> None:
    if cluster.is_primary:
        cluster.fork()
    else:
        # When the socket attempts to bind, it requests a handle from the cluster.
        # Force the cluster to send back an error code.
        def _get_server(self: Any, options: Any, callback: Any) -> None:
            callback(UV_UNKNOWN)

        cluster._get_server = _get_server

        socket = dgram.create_socket('udp4')

        def after_error() -> None:
            assert socket._bindState == 0  # BIND_STATE_UNBOUND
            socket.close()
            cluster.worker.disconnect()

        def on_error(err: Any) -> None:
            # err.toString() -> common.node_string(err)
            assert re.search(r'^Error: bind UNKNOWN 0\.0\.0\.0$', common.node_string(err)), \
                common.node_string(err)
            dgram.next_tick(common.must_call(after_error))

        socket.on('error', common.must_call(on_error))

        socket.bind(common.must_not_call('Socket should not bind.'))


test_dgram_cluster_bind_error = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
