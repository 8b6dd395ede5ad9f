# Node: test/parallel/test-dgram-async-dispose.mjs
# node:test's describe()/it() become async functions run one after the other;
# socket[Symbol.asyncDispose]() is socket.__aexit__(None, None, None), and
# `promise.then(onFulfilled, onRejected)` becomes an await inside try/except.
import dgram_uv as dgram
from compat import common


# describe('dgram.Socket[Symbol.asyncDispose]()')
async def should_close_the_socket() -> None:
    server = dgram.create_socket({'type': 'udp4'})
    server.on('close', common.must_call())
    on_fulfilled = common.must_call()
    on_fulfilled(await server.__aexit__(None, None, None))

    common.assert_throws(lambda: server.address(), code='ERR_SOCKET_DGRAM_NOT_RUNNING')


async def should_resolve_even_if_the_socket_is_already_closed() -> None:
    server = dgram.create_socket({'type': 'udp4'})
    on_fulfilled = common.must_call()
    on_fulfilled(await server.__aexit__(None, None, None))

    on_fulfilled, on_rejected = common.must_call(), common.must_not_call()
    try:
        result = await server.__aexit__(None, None, None)
    except Exception as err:
        on_rejected(err)
    else:
        on_fulfilled(result)


async def describe() -> None:
    await should_close_the_socket()
    await should_resolve_even_if_the_socket_is_already_closed()


def main() -> None:
    common.start_async(describe())


test_dgram_async_dispose = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
