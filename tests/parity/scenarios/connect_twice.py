"""connect() while connecting or connected throws ERR_SOCKET_DGRAM_IS_CONNECTED;
after disconnect() a new connect() works."""
from _fmt import attempt, out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')


def on_receiver_bound():
    port = receiver.address().port
    client = dgram.create_socket('udp4')

    def on_connect():
        out('connect-cb')
        attempt('connect-when-connected', lambda: client.connect(port, '127.0.0.1'))
        attempt('connect-when-connected-no-address', lambda: client.connect(port))
        client.disconnect()
        out('disconnected')

        def on_reconnect():
            out('reconnect-cb', client.remote_address().address,
                client.remote_address().port == port)
            client.close()
            receiver.close()
        client.connect(port, on_reconnect)
    client.connect(port, '127.0.0.1', on_connect)
    attempt('connect-while-connecting', lambda: client.connect(port, '127.0.0.1'))


receiver.bind(0, '127.0.0.1', on_receiver_bound)
dgram.run()
