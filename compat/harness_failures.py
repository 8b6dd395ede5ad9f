"""A compat program whose cluster worker or forked child fails on purpose.

``python -m compat.harness_failures MODE`` (compat/test_common.py runs it): the
test's own process never checks how its worker or child exits, as many of
Node's tests do not, so only compat/common.py's failure reports can make it fail.

Modes that must fail: ``worker-assert`` (a failed assertion in a worker, after
it has told the primary all is well), ``worker-must-call`` (a must_call the
worker never calls), ``worker-import`` (an exception while the worker imports
this module), ``child-assert`` (a failed assertion in a ``child_process.fork``
child).  Modes that must pass: ``ok``, and ``worker-exit-3`` (a worker that ends
with process.exit(3) on purpose: an exit code is the test's business, as in Node).
"""
import os
import sys
from typing import Any

from compat import common, netns
from dgram_uv import cluster

MODE = sys.argv[1] if len(sys.argv) > 1 else 'ok'

if MODE == 'worker-import' and cluster.is_worker:
    raise AssertionError('deliberately wrong while importing')


def primary() -> None:
    def on_message(message: Any) -> None:
        assert message == 'all is well', message

    def on_exit(*args: Any) -> None:
        pass       # the exit code is not checked

    if MODE == 'child-assert':
        child = netns.fork(__file__, 'child-assert', env={**os.environ, 'IS_CHILD': '1'})
        child.on('exit', common.must_call(on_exit))
        return
    worker = cluster.fork()
    worker.on('message', on_message)
    worker.on('exit', common.must_call(on_exit))


def worker() -> None:
    process = cluster.worker.process   # Node's `process` (its IPC side)
    if MODE == 'worker-assert':
        def after_send(*args: Any) -> None:
            assert 'wrong' == 'right', 'deliberately wrong in the worker'

        process.send('all is well', after_send)
    elif MODE == 'worker-must-call':
        common.must_call(lambda: None)
        cluster.worker.disconnect()
    elif MODE == 'worker-exit-3':
        process.exit(3)
    else:
        cluster.worker.disconnect()


def child() -> None:
    assert 'wrong' == 'right', 'deliberately wrong in the child'


def main() -> None:
    if os.environ.get('IS_CHILD'):
        child()
    elif cluster.is_primary:
        primary()
    else:
        worker()


if __name__ == '__main__':
    common.run(main)
