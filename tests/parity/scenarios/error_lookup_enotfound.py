"""A host name that cannot resolve (the .invalid TLD, RFC 6761; in the harness's
isolated namespace the lookup fails with EAI_AGAIN): send() calls back with the
error, send() without a callback emits 'error', bind() emits 'error' and leaves
the socket unbound, connect() calls back with it."""
from _fmt import fmt_err, out

import dgram_uv as dgram

HOST = 'no.such.host.invalid'


def step1():
    socket = dgram.create_socket('udp4')
    socket.on('listening', lambda: out('send-socket listening'))

    def on_sent(err, nbytes=None):
        out('send-cb', fmt_err(err), 'bytes', nbytes)
        out('fields', err.code, err.syscall, err.hostname)

        def on_error(err2):
            out('error-event', fmt_err(err2))
            socket.close(step2)
        socket.once('error', on_error)
        socket.send('x', 9, HOST)
    socket.send('x', 9, HOST, on_sent)


def step2():
    socket = dgram.create_socket('udp4')

    def on_error(err):
        out('bind-error', fmt_err(err), err.syscall, err.hostname)

        def on_rebound():
            out('rebound')
            socket.close(step3)
        socket.bind(0, '127.0.0.1', on_rebound)
    socket.once('error', on_error)
    socket.bind(0, HOST, lambda: out('never'))


def step3():
    socket = dgram.create_socket('udp4')

    def on_connect(err=None):
        out('connect-cb', fmt_err(err))
        out('connect-listeners', socket.listener_count('connect'))

        def on_error(err2):
            out('connect-error-event', fmt_err(err2))
            socket.close(lambda: out('done'))
        socket.once('error', on_error)
        socket.connect(9, HOST)
    socket.connect(9, HOST, on_connect)


step1()
dgram.run()
