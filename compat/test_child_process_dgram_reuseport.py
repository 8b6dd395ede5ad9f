# Node: test/parallel/test-child-process-dgram-reuseport.js
import os
from typing import Any

import dgram_uv as dgram
from compat import common, netns

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


def primary() -> None:
    socket = dgram.create_socket(options)

    def on_bind() -> None:
        port = socket.address().port
        worker_env = {**os.environ, 'isWorker': '1', 'port': str(port)}
        count = 2
        for _ in range(2):
            # child_process.fork(__filename, workerOptions)
            worker = netns.fork(__file__, env=worker_env)

            def on_exit(code: Any, *args: Any) -> None:
                nonlocal count
                assert code == 0, code
                count -= 1
                if count == 0:
                    socket.close()

            worker.on('exit', common.must_call(on_exit))

    socket.bind(0, common.must_call(on_bind))


def main() -> None:
    if not os.environ.get('isWorker'):
        # A Promise's .then() callbacks run as microtasks: next_tick here.
        check_support_reuse_port(
            lambda *args: dgram.next_tick(primary),
            lambda *args: dgram.next_tick(
                lambda: common.skip('The `reusePort` is not supported')),
        )
        return

    socket = dgram.create_socket(options)

    # +process.env.port
    socket.bind(int(os.environ['port']), common.must_call(lambda: socket.close()))


test_child_process_dgram_reuseport = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
