# Node: test/parallel/test-dgram-membership.js
import functools
import re

import dgram_uv as dgram
from compat import common

multicast_address = '224.0.0.114'

setup = functools.partial(dgram.create_socket, {'type': 'udp4', 'reuseAddr': True})


def main() -> None:
    # addMembership() on closed socket should throw
    socket1 = setup()
    socket1.close(common.must_call(lambda: common.assert_throws(
        lambda: socket1.add_membership(multicast_address),
        code='ERR_SOCKET_DGRAM_NOT_RUNNING',
        name='Error',
        message=re.compile(r'^Not running$'),
    )))

    # dropMembership() on closed socket should throw
    socket2 = setup()
    socket2.close(common.must_call(lambda: common.assert_throws(
        lambda: socket2.drop_membership(multicast_address),
        code='ERR_SOCKET_DGRAM_NOT_RUNNING',
        name='Error',
        message=re.compile(r'^Not running$'),
    )))

    # addMembership() with no argument should throw
    socket = setup()
    common.assert_throws(
        lambda: socket.add_membership(),
        code='ERR_MISSING_ARGS',
        name='TypeError',
        message=re.compile(r'^The "multicastAddress" argument must be specified$'),
    )
    socket.close()

    # dropMembership() with no argument should throw
    socket = setup()
    common.assert_throws(
        lambda: socket.drop_membership(),
        code='ERR_MISSING_ARGS',
        name='TypeError',
        message=re.compile(r'^The "multicastAddress" argument must be specified$'),
    )
    socket.close()

    # Node's /^Error: addMembership EINVAL$/ matches String(err) == `${name}: ${message}`.
    # addMembership() with invalid multicast address should throw
    socket = setup()
    common.assert_throws(lambda: socket.add_membership('256.256.256.256'),
                         name='Error', message=re.compile(r'^addMembership EINVAL$'))
    socket.close()

    # dropMembership() with invalid multicast address should throw
    socket = setup()
    common.assert_throws(lambda: socket.drop_membership('256.256.256.256'),
                         name='Error', message=re.compile(r'^dropMembership EINVAL$'))
    socket.close()

    # addSourceSpecificMembership with invalid sourceAddress should throw
    socket = setup()
    common.assert_throws(
        lambda: socket.add_source_specific_membership(0, multicast_address),
        code='ERR_INVALID_ARG_TYPE',
        message='The "sourceAddress" argument must be of type string. '
                'Received type int (0)',
    )
    socket.close()

    # addSourceSpecificMembership with invalid sourceAddress should throw
    socket = setup()
    common.assert_throws(
        lambda: socket.add_source_specific_membership(multicast_address, 0),
        code='ERR_INVALID_ARG_TYPE',
        message='The "groupAddress" argument must be of type string. '
                'Received type int (0)',
    )
    socket.close()

    # addSourceSpecificMembership with invalid groupAddress should throw
    socket = setup()
    common.assert_throws(
        lambda: socket.add_source_specific_membership(multicast_address, '0'),
        code='EINVAL',
        message='addSourceSpecificMembership EINVAL',
    )
    socket.close()

    # dropSourceSpecificMembership with invalid sourceAddress should throw
    socket = setup()
    common.assert_throws(
        lambda: socket.drop_source_specific_membership(0, multicast_address),
        code='ERR_INVALID_ARG_TYPE',
        message='The "sourceAddress" argument must be of type string. '
                'Received type int (0)',
    )
    socket.close()

    # dropSourceSpecificMembership with invalid groupAddress should throw
    socket = setup()
    common.assert_throws(
        lambda: socket.drop_source_specific_membership(multicast_address, 0),
        code='ERR_INVALID_ARG_TYPE',
        message='The "groupAddress" argument must be of type string. '
                'Received type int (0)',
    )
    socket.close()

    # dropSourceSpecificMembership with invalid UDP should throw
    socket = setup()
    common.assert_throws(
        lambda: socket.drop_source_specific_membership(multicast_address, '0'),
        code='EINVAL',
        message='dropSourceSpecificMembership EINVAL',
    )
    socket.close()


test_dgram_membership = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
