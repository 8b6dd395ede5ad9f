# Node: test/parallel/test-dgram-unref-in-cluster.js
import pyuv

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster
from dgram_uv._binding import loop as uv_loop


def get_active_resources_info() -> list[str]:
    # Node's process.getActiveResourcesInfo(): the referenced live handles (a
    # 'UDPWrap' for each uv_udp_t), read from the uv loop's handle list.
    return ['UDPWrap' if isinstance(handle, pyuv.UDP) else type(handle).__name__
            for handle in uv_loop.get_loop().handles
            if handle.ref and handle.active and not handle.closed]


def main() -> None:
    if common.is_windows:
        common.skip('dgram clustering is currently not supported on Windows.')

    if cluster.is_primary:
        cluster.fork()
    else:
        socket = dgram.create_socket('udp4')
        socket.unref()
        socket.bind()

        def on_listening() -> None:
            sockets = [item for item in get_active_resources_info() if item == 'UDPWrap']
            assert len(sockets) == 0
            cluster.worker.process.disconnect()  # process.disconnect()

        socket.on('listening', common.must_call(on_listening))


test_dgram_unref_in_cluster = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
