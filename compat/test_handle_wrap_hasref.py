# Node: test/parallel/test-handle-wrap-hasref.js
# Flags: --expose-internals (Node reads the socket's handle through
# `socket[kStateSymbol].handle`; dgram_uv keeps that state in `socket._state`).
#
# Node's file checks `hasRef()` of six kinds of libuv handle wrap. Two of them
# are dgram's UDPWrap (the "dgram ipv4" and "dgram ipv6" blocks): those are
# translated here, assertion by assertion, on dgram_uv's UDPWrap
# (`dgram_uv._binding.udp_wrap.UDP.has_ref`, libuv's `uv_has_ref`). The others
# belong to other Node modules that dgram_uv does not provide:
#   - child_process: ProcessWrap (`spawn('ls')._handle`);
#   - pipe: `internalBinding('pipe_wrap').Pipe`;
#   - tcp: `net.createServer()._handle` and `server._unref`;
#   - timers: `process.getActiveResourcesInfo()` counting Timeout/Immediate
#     (dgram_uv's timers are not dgram; their ref/unref/has_ref are covered by
#     tests/test_loop.py).
from typing import Any

import dgram_uv as dgram
from compat import common


def strict_equal(actual: Any, expected: Any, message: str) -> None:
    # assert.strictEqual: True == 1 in Python, not in JS.
    assert actual is expected, f'{message}: {actual!r} !== {expected!r}'


def main() -> None:
    # dgram ipv4
    sock4 = dgram.create_socket('udp4')
    handle4 = sock4._state.handle
    assert handle4 is not None

    strict_equal(handle4.has_ref(),
                 True, 'udp_wrap: ipv4: not initially refed')
    sock4.unref()
    strict_equal(handle4.has_ref(),
                 False, 'udp_wrap: ipv4: unref() ineffective')
    sock4.ref()
    strict_equal(handle4.has_ref(),
                 True, 'udp_wrap: ipv4: ref() ineffective')
    handle4.close(common.must_call(lambda: strict_equal(
        handle4.has_ref(), False, 'udp_wrap: ipv4: not unrefed on close')))

    # dgram ipv6
    sock6 = dgram.create_socket('udp6')
    handle6 = sock6._state.handle
    assert handle6 is not None

    strict_equal(handle6.has_ref(),
                 True, 'udp_wrap: ipv6: not initially refed')
    sock6.unref()
    strict_equal(handle6.has_ref(),
                 False, 'udp_wrap: ipv6: unref() ineffective')
    sock6.ref()
    strict_equal(handle6.has_ref(),
                 True, 'udp_wrap: ipv6: ref() ineffective')
    handle6.close(common.must_call(lambda: strict_equal(
        handle6.has_ref(), False, 'udp_wrap: ipv6: not unrefed on close')))


test_handle_wrap_hasref = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
