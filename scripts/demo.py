"""The seed example of Node's dgram docs, in Python: a server on 41234 and a client."""

import dgram_uv as dgram

server = dgram.create_socket('udp4')
server.on('error', lambda err: (print(f'server error:\n{err}'), server.close()))
def on_message(msg, rinfo):
    print(f'server got: {msg.decode()} from {rinfo.address}:{rinfo.port}')
    server.close()
server.on('message', on_message)
def on_listening():
    address = server.address()
    print(f'server listening {address.address}:{address.port}')
    client = dgram.create_socket('udp4')
    client.send(b'Some bytes', 41234, 'localhost', lambda err, n: client.close())
server.on('listening', on_listening)
server.bind(41234)
dgram.run()
