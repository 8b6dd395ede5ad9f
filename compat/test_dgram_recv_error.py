# Node: test/parallel/test-dgram-recv-error.js
import re
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    s = dgram.create_socket('udp4')
    handle = s._state.handle  # s[kStateSymbol].handle

    def on_error(err: Any) -> None:
        s.close()

        # Don't check the full error message, as the errno is not important here.
        # Node's String(err) is `${name}: ${message}`; str(err) is the message.
        assert re.match(r'^Error: recvmsg', f'{err.name}: {err}'), f'{err.name}: {err}'
        assert err.syscall == 'recvmsg'

    s.on('error', common.must_call(on_error))

    s.on('message', common.must_not_call('no message should be received.'))
    s.bind(common.must_call(lambda: handle.onmessage(-1, handle, None, None)))


test_dgram_recv_error = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
