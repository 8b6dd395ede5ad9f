"""remote_address() of a connected socket, for udp4 and udp6, and the
connected send path (no port, no address) delivering to the peer."""
import attrs
from _fmt import out

import dgram_uv as dgram


def run(type_, ip, next_):
    receiver = dgram.create_socket(type_)

    def on_bound():
        port = receiver.address().port
        client = dgram.create_socket(type_)

        def on_message(msg, rinfo):
            out(type_, 'message', msg, rinfo.address, rinfo.family, f'size={rinfo.size}')
            client.close()
            receiver.close(next_)
        receiver.on('message', on_message)

        def on_connect():
            remote = client.remote_address()
            out(type_, 'remote', ','.join(sorted(attrs.asdict(remote))), remote.address,
                remote.family, 'port-matches', remote.port == port)
            local = client.address()
            out(type_, 'local', local.address, local.family, 'port>0', local.port > 0)
            client.send(f'via {type_}', lambda err, nbytes: out(type_, 'send-cb', err, nbytes))
        client.connect(port, ip, on_connect)
    receiver.bind(0, ip, on_bound)


run('udp4', '127.0.0.1', lambda: run('udp6', '::1', lambda: out('done')))
dgram.run()
