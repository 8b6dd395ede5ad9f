"""reuse_addr lets a second socket bind the same port; without it on both
sides the second bind fails with EADDRINUSE."""
from _fmt import fmt_err, out

import dgram_uv as dgram

first = dgram.create_socket(type='udp4', reuse_addr=True)


def on_first_bound():
    port = first.address().port
    second = dgram.create_socket(type='udp4', reuse_addr=True)

    def on_second_bound():
        out('second bound same port', second.address().port == port)
        third = dgram.create_socket('udp4')

        def on_error(err):
            out('third error', fmt_err(err, {port: 'PORT'}))
            third.close()
            second.close()
            first.close(lambda: out('done'))
        third.on('error', on_error)
        third.bind(port, '127.0.0.1', lambda: out('third bound'))
    second.bind(port, '127.0.0.1', on_second_bound)


first.bind(0, '127.0.0.1', on_first_bound)
dgram.run()
