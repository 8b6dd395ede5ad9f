# Node: test/parallel/test-dgram-bind-socket-close-before-cluster-reply.js
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster


def main() -> None:
    if cluster.is_primary:
        cluster.fork()
    else:
        # When the socket attempts to bind, it requests a handle from the cluster.
        # Force the cluster to send back an error code.
        socket = dgram.create_socket('udp4')

        def _get_server(self: Any, options: Any, callback: Any) -> None:
            socket.close(lambda: cluster.worker.disconnect())
            callback(-1)

        cluster._get_server = _get_server
        socket.on('error', common.must_not_call())
        socket.bind()


test_dgram_bind_socket_close_before_cluster_reply = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
