#!/usr/bin/python3
"""Request/response client: a dynamic receiver gives the reply address, then --count requests go
to --address with that reply-to and a correlation-id, and the script waits for every reply.

Output (JSON lines): {"event":"reply_to","address":a} (the address the router assigned);
{"event":"outcome","index":i,"state":s} per request; {"event":"reply",...message} per reply;
finally {"event":"done","replies":n}.
"""

from proton import Message
from proton.reactor import Container

from interop_common import (ClientHandler, base_args, condition_json, describe_message, emit, fail, state_name)



class Requester(ClientHandler):
    def __init__(self, opts):
        super().__init__(opts, prefetch=max(opts.count, 1))
        self.reply_to = None
        self.sender = None
        self.sent = 0
        self.replies = 0
        self.index = {}

    def on_start(self, event):
        self.start_deadline(event.container, lambda: {'sent': self.sent, 'replies': self.replies})
        self.conn = event.container.connect(self.opts.url, reconnect=False)
        self.receiver = event.container.create_receiver(self.conn, None, dynamic=True)

    def on_link_opened(self, event):
        if event.link == self.receiver:
            self.reply_to = event.link.remote_source.address
            emit('reply_to', address=self.reply_to)
            if not self.reply_to:
                fail('the router assigned no address to the dynamic receiver')
            self.sender = event.container.create_sender(self.conn, self.opts.address)

    def on_sendable(self, event):
        while event.sender.credit > 0 and self.sent < self.opts.count:
            i = self.sent
            m = Message(body=f'request-{i}', reply_to=self.reply_to, correlation_id=f'corr-{i}')
            self.index[event.sender.send(m)] = i
            self.sent += 1

    def outcome(self, event):
        d = event.delivery
        emit('outcome', index=self.index.pop(d, None), state=state_name(d), **condition_json(d.remote.condition))

    on_accepted = outcome
    on_rejected = outcome
    on_released = outcome

    def on_message(self, event):
        emit('reply', **describe_message(event.message))
        self.replies += 1
        if self.replies == self.opts.count:
            self.finished = True
            emit('done', replies=self.replies)
            self.conn.close()



def main():
    p = base_args(__doc__)
    p.add_argument('--address', required=True, help='the service address requests go to')
    p.add_argument('--count', type=int, default=1)
    opts = p.parse_args()
    Container(Requester(opts)).run()


if __name__ == '__main__':
    main()
