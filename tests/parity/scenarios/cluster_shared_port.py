"""cluster: two workers binding the same address without `exclusive` share the
primary's socket (same port); a third binding that port with
`exclusive: True` fails with EADDRINUSE; a datagram sent to the shared port
reaches one of the sharing workers; cluster.disconnect() ends them all.
The primary prints; what may come in either order is printed at exit (here:
when dgram.run() returns, Node's process 'exit')."""
import os

from _fmt import fmt_err, out

import dgram_uv as dgram
from dgram_uv import cluster

if cluster.is_primary:
    listening = []
    exits = []
    counts = {'disconnects': 0, 'callback': False, 'port': None}

    cluster.on('fork', lambda worker: out('fork', worker.id))
    cluster.on('online', lambda worker: out('online', worker.id, worker.state))

    def on_listening(worker, address):
        listening.append([worker.id, address['addressType'], address['address'],
                          address['port'] == counts['port'], address['fd']])
    cluster.on('listening', on_listening)

    def on_disconnect(worker):
        counts['disconnects'] += 1
    cluster.on('disconnect', on_disconnect)

    def on_exit(worker, code, signal):
        exits.append([worker.id, code, signal, worker.exited_after_disconnect, worker.state,
                      worker.is_dead()])
    cluster.on('exit', on_exit)

    first = cluster.fork({'ROLE': 'share'})

    def on_first(msg):
        port = counts['port'] = msg['port']
        out('worker 1 bound', msg['address'], 'number' if isinstance(port, int) else type(port))
        second = cluster.fork({'ROLE': 'share'})

        def on_second(msg):
            out('worker 2 bound', msg['address'], msg['port'] == port)
            third = cluster.fork({'ROLE': 'exclusive', 'SHARED_PORT': port})

            def on_third(msg):
                out('worker 3 error', msg['error'].replace(str(port), 'PORT'))
                client = dgram.create_socket('udp4')
                client.send('ping', port, '127.0.0.1', lambda *_: client.close())
            third.once('message', on_third)
        second.once('message', on_second)
    first.once('message', on_first)

    def on_message(worker, msg):
        if 'got' not in msg:
            return
        out('datagram', msg['got'], 'reached a sharing worker', worker.id in (1, 2))

        def on_all_disconnected():
            counts['callback'] = True
        cluster.disconnect(on_all_disconnected)
    cluster.on('message', on_message)

    dgram.run()
    for entry in sorted(listening):
        out('listening', *entry)
    for entry in sorted(exits):
        out('exit', *entry)
    out('disconnects', counts['disconnects'], 'callback', counts['callback'],
        'workers left', len(cluster.workers))
elif os.environ.get('ROLE') == 'share':
    socket = dgram.create_socket('udp4')
    socket.on('message', lambda msg, rinfo: cluster.worker.send({'got': msg.decode()}))

    def on_bound():
        cluster.worker.send({'address': socket.address().address,
                             'port': socket.address().port})
    socket.bind({'address': '127.0.0.1', 'port': 0}, on_bound)
    dgram.run()
else:
    socket = dgram.create_socket('udp4')

    def on_error(err):
        cluster.worker.send({'error': fmt_err(err)})
        socket.close()
    socket.on('error', on_error)
    socket.bind({'address': '127.0.0.1', 'port': int(os.environ['SHARED_PORT']),
                 'exclusive': True}, lambda: cluster.worker.send({'error': 'none'}))
    dgram.run()
