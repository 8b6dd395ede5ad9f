# Node: test/internet/test-dgram-connect.js
# Runs in a private network namespace with only lo (compat/netns.py, topology
# 'loopback'). Substitution: Node resolves addresses.INVALID_HOST through the host's
# resolver, whose DNS query goes to the internet; in the namespace that query has no
# route off the machine, so the lookup fails locally (EAI_AGAIN; ENOTFOUND where a
# resolver answers), and the last connect goes to 127.0.0.1 as in Node.
import dgram_uv as dgram
from compat import common, netns

INVALID_HOST = 'something.invalid'   # Node's test/common/internet.js addresses.INVALID_HOST


def main() -> None:
    client = dgram.create_socket('udp4')

    def on_connect(err: BaseException) -> None:
        assert err.code == 'ENOTFOUND' or err.code == 'EAI_AGAIN'

        def on_error(err: BaseException) -> None:
            assert err.code == 'ENOTFOUND' or err.code == 'EAI_AGAIN'
            client.once('connect', common.must_call(lambda: client.close()))
            client.connect(common.PORT)

        client.once('error', common.must_call(on_error))

        client.connect(common.PORT, INVALID_HOST)

    client.connect(common.PORT, INVALID_HOST, common.must_call(on_connect))


test_dgram_connect = netns.netns_test(__file__, topology='loopback')
if __name__ == '__main__':
    common.run(main)
