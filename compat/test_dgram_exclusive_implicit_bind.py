# Node: test/parallel/test-dgram-exclusive-implicit-bind.js
import os
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster


def main() -> None:
    if cluster.is_primary:
        messages = 0
        ports: dict[int, bool] = {}
        pids: list[str] = []

        target = dgram.create_socket('udp4')

        def done() -> None:
            cluster.disconnect()
            target.close()

        done = common.must_call(done)

        def on_message(buf: bytes, rinfo: Any) -> None:
            nonlocal messages
            if buf.decode() in pids:
                return
            pids.append(buf.decode())
            messages += 1
            ports[rinfo.port] = True

            if common.is_windows and messages == 2:
                assert len(ports) == 2
                done()

            if not common.is_windows and messages == 4:
                assert len(ports) == 3, ports
                done()

        target.on('message', on_message)

        def on_listening() -> None:
            cluster.fork({'PORT': target.address().port})
            cluster.fork({'PORT': target.address().port})
            if not common.is_windows:
                cluster.fork({'BOUND': 'y', 'PORT': target.address().port})
                cluster.fork({'BOUND': 'y', 'PORT': target.address().port})

        target.on('listening', on_listening)

        target.bind({'port': 0, 'exclusive': True})

        return

    source = dgram.create_socket('udp4')

    source.on('close', lambda: dgram.clear_interval(interval))

    if os.environ.get('BOUND') == 'y':
        source.bind(0)
    else:
        # Cluster doesn't know about exclusive sockets, so it won't close them. This
        # is expected, its the same situation for timers, outgoing tcp connections,
        # etc, which also keep workers alive after disconnect was requested.
        source.unref()

    assert os.environ.get('PORT')
    buf = str(os.getpid()).encode()
    interval = dgram.set_interval(
        lambda: source.send(buf, os.environ['PORT'], '127.0.0.1'), 1).unref()


test_dgram_exclusive_implicit_bind = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
