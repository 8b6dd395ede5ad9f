"""Binding a port that is taken: an 'error' event with a system error (code,
syscall, address, port, errno); the bind callback is dropped and the socket
can bind again. In Python str(err) is the same text as err.message (in JS
String(err) would prefix "Error: "; the message is what is compared)."""
from _fmt import fmt_err, out

import dgram_uv as dgram

first = dgram.create_socket('udp4')


def on_first_bound():
    port = first.address().port
    second = dgram.create_socket('udp4')
    hide = {port: 'PORT'}

    def on_error(err):
        out('error', fmt_err(err, hide))
        out('str', str(err).replace(str(port), 'PORT'))
        out('message', err.message.replace(str(port), 'PORT'))
        out('fields', err.code, err.syscall, err.address, err.port == port, 'errno', err.errno)
        out('listeners', second.listener_count('listening'), second.listener_count('error'))

        def on_rebound():
            out('rebound', second.address().port != port)
            second.close()
            first.close()
        second.bind(0, '127.0.0.1', on_rebound)
    second.on('error', on_error)
    second.bind(port, '127.0.0.1', lambda: out('never-bound'))


first.bind(0, '127.0.0.1', on_first_bound)
dgram.run()
