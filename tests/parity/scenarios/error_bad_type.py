"""create_socket() with a bad type or bad options."""
from _fmt import attempt

import dgram_uv as dgram

attempt('udp5', lambda: dgram.create_socket('udp5'))
attempt('options-type-tcp', lambda: dgram.create_socket({'type': 'tcp'}))
attempt('options-no-type', lambda: dgram.create_socket({}))
attempt('no-type', lambda: dgram.create_socket())
attempt('number-type', lambda: dgram.create_socket(4))
attempt('upper-case', lambda: dgram.create_socket('UDP4'))
attempt('recvBufferSize-negative', lambda: dgram.create_socket(type='udp4', recv_buffer_size=-1))
attempt('recvBufferSize-string', lambda: dgram.create_socket(type='udp4', recv_buffer_size='x'))
attempt('sendBufferSize-float', lambda: dgram.create_socket(type='udp4', send_buffer_size=1.5))
attempt('lookup-not-function', lambda: dgram.create_socket(type='udp4', lookup='x'))
attempt('receiveBlockList-object', lambda: dgram.create_socket(type='udp4', receive_block_list={}))
attempt('receiveBlockList-plain-object',
        lambda: dgram.create_socket(type='udp4', receive_block_list={'a': 1}))
attempt('sendBlockList-string', lambda: dgram.create_socket(type='udp4', send_block_list='x'))
attempt('signal-not-signal', lambda: dgram.create_socket(type='udp4', signal={}))
attempt('zero-buffer-size-is-unset',
        lambda: dgram.create_socket(type='udp4', recv_buffer_size=0).close())
dgram.run()
