"""connect() on an unbound socket: implicit bind ('listening'), then the
lookup, then 'connect' on a next tick; the callback is a once('connect')
listener added after the earlier ones."""
from _fmt import out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')


def on_bound():
    port = receiver.address().port
    client = dgram.create_socket('udp4')
    client.on('listening', lambda: out('listening'))
    client.on('connect', lambda: out('connect-listener-1'))

    def on_connect():
        out('connect-cb')
        out('listeners-after', client.listener_count('connect'))

        def on_immediate():
            out('immediate')
            client.close(lambda: out('close'))
            receiver.close()
        dgram.set_immediate(on_immediate)
    client.connect(port, '127.0.0.1', on_connect)
    client.on('connect', lambda: out('connect-listener-2'))
    dgram.next_tick(lambda: out('tick-after-connect'))
    dgram.set_immediate(lambda: out('immediate-after-connect'))
    out('sync-end', client.listener_count('connect'))


receiver.bind(0, '127.0.0.1', on_bound)
dgram.run()
