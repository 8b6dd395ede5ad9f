# Node: test/parallel/test-ref-unref-return.js
#
# Node's file checks that ref() and unref() return their object for four
# classes: net.Server, net.Socket (TCP, Node's `net` module) and dgram.Socket.
# dgram_uv is Node's dgram only, it has no `net`: the two dgram lines are
# translated, the four `net` lines are not.
import dgram_uv as dgram
from compat import common


def main() -> None:
    # assert.ok((new net.Server()).ref() instanceof net.Server);     -- net, not dgram
    # assert.ok((new net.Server()).unref() instanceof net.Server);   -- net, not dgram
    # assert.ok((new net.Socket()).ref() instanceof net.Socket);     -- net, not dgram
    # assert.ok((new net.Socket()).unref() instanceof net.Socket);   -- net, not dgram
    assert isinstance(dgram.Socket('udp4').ref(), dgram.Socket)
    assert isinstance(dgram.Socket('udp6').unref(), dgram.Socket)


test_ref_unref_return = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
