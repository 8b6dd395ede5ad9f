# Node: test/parallel/test-dgram-send-bad-arguments.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    buf = b'test'
    host = '127.0.0.1'
    sock = dgram.create_socket('udp4')

    def check_args(connected: bool = False) -> None:
        # First argument should be a buffer.
        common.assert_throws(
            lambda: sock.send(),
            code='ERR_INVALID_ARG_TYPE',
            name='TypeError',
            message='The "buffer" argument must be of type string or an instance '
                    'of Buffer, TypedArray, or DataView. Received None',
        )

        # send(buf, offset, length, port, host)
        if connected:
            common.assert_throws(
                lambda: sock.send(buf, 1, 1, -1, host),
                code='ERR_SOCKET_DGRAM_IS_CONNECTED',
                name='Error',
                message='Already connected',
            )

            common.assert_throws(
                lambda: sock.send(buf, 1, 1, 0, host),
                code='ERR_SOCKET_DGRAM_IS_CONNECTED',
                name='Error',
                message='Already connected',
            )

            common.assert_throws(
                lambda: sock.send(buf, 1, 1, 65536, host),
                code='ERR_SOCKET_DGRAM_IS_CONNECTED',
                name='Error',
                message='Already connected',
            )

            common.assert_throws(
                lambda: sock.send(buf, 1234, '127.0.0.1', common.must_not_call()),
                code='ERR_SOCKET_DGRAM_IS_CONNECTED',
                name='Error',
                message='Already connected',
            )

            # Buffer.from(...).subarray() and TypedArray.subarray() -> memoryview slices;
            # Uint8Array -> bytearray; DataView(ArrayBuffer(n), o[, l]) -> memoryview slice.
            long_array = [1, 2, 3, 4, 5, 6, 7, 8]
            for input_ in ['hello',
                           b'hello',
                           memoryview(b'hello world')[0:5],
                           memoryview(b'hello world')[4:9],
                           memoryview(b'hello world')[6:],
                           bytearray([1, 2, 3, 4, 5]),
                           memoryview(bytearray(long_array))[0:5],
                           memoryview(bytearray(long_array))[2:7],
                           memoryview(bytearray(long_array))[3:],
                           memoryview(bytearray(5))[0:],
                           memoryview(bytearray(6))[1:],
                           memoryview(bytearray(7))[1:1 + 5]]:
                common.assert_throws(
                    lambda input_=input_: sock.send(input_, 6, 0),
                    code='ERR_BUFFER_OUT_OF_BOUNDS',
                    name='RangeError',
                    message='"offset" is outside of buffer bounds',
                )

                common.assert_throws(
                    lambda input_=input_: sock.send(input_, 0, 6),
                    code='ERR_BUFFER_OUT_OF_BOUNDS',
                    name='RangeError',
                    message='"length" is outside of buffer bounds',
                )

                common.assert_throws(
                    lambda input_=input_: sock.send(input_, 3, 4),
                    code='ERR_BUFFER_OUT_OF_BOUNDS',
                    name='RangeError',
                    message='"length" is outside of buffer bounds',
                )
        else:
            # assert.throws(fn, RangeError): Node's RangeError is err.name 'RangeError'
            # (a ValueError subclass in dgram_uv).
            common.assert_throws(lambda: sock.send(buf, 1, 1, -1, host), name='RangeError',
                                 type=ValueError)
            common.assert_throws(lambda: sock.send(buf, 1, 1, 0, host), name='RangeError',
                                 type=ValueError)
            common.assert_throws(lambda: sock.send(buf, 1, 1, 65536, host), name='RangeError',
                                 type=ValueError)

        # send(buf, port, host)
        common.assert_throws(
            lambda: sock.send(23, 12345, host),
            code='ERR_INVALID_ARG_TYPE',
            name='TypeError',
            message='The "buffer" argument must be of type string or an instance '
                    'of Buffer, TypedArray, or DataView. Received type int (23)',
        )

        # send([buf1, ..], port, host)
        common.assert_throws(
            lambda: sock.send([buf, 23], 12345, host),
            code='ERR_INVALID_ARG_TYPE',
            name='TypeError',
            message='The "buffer list arguments" argument must be of type string '
                    'or an instance of Buffer, TypedArray, or DataView. '
                    'Received an instance of list',
        )

    check_args()

    def on_connect() -> None:
        check_args(True)
        sock.close()

    sock.connect(12345, common.must_call(on_connect))


test_dgram_send_bad_arguments = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
