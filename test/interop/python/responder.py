#!/usr/bin/python3
"""Service: receives requests on --address and answers each one to its reply-to, through an
anonymous sender (null target, the reply's `to` routes it), with the request's correlation-id and
the body upper-cased.

Output (JSON lines): {"event":"ready"} once both links are attached; {"event":"request",...message}
per request; {"event":"reply_outcome","state":s} per reply; finally {"event":"done","handled":n}
after --count requests whose replies were all settled (--count 0: until stdin is closed).
"""

from proton import Message
from proton.reactor import Container

from interop_common import (ClientHandler, StdinStop, base_args, condition_json, describe_message, emit, fail, state_name)



class Responder(ClientHandler):
    def __init__(self, opts):
        super().__init__(opts, prefetch=10)
        self.handled = 0
        self.settled = 0
        self.pending = []  # replies waiting for credit on the anonymous sender
        self.opened = 0
        self.stdin = None

    def on_start(self, event):
        self.start_deadline(event.container, lambda: {'handled': self.handled, 'settled': self.settled})
        if self.opts.count == 0:
            self.stdin = StdinStop(event.container)
        self.conn = event.container.connect(self.opts.url, reconnect=False)
        self.receiver = event.container.create_receiver(self.conn, self.opts.address)
        self.sender = event.container.create_sender(self.conn, None)

    def on_link_opened(self, event):
        self.opened += 1
        if self.opened == 2:
            emit('ready', service=self.receiver.remote_source.address, reply_target=self.sender.remote_target.address)

    def on_message(self, event):
        req = event.message
        emit('request', **describe_message(req))
        if not req.reply_to:
            fail('request without reply-to')
        body = req.body.upper() if isinstance(req.body, str) else req.body
        self.pending.append(Message(address=req.reply_to, correlation_id=req.correlation_id, body=body))
        self.handled += 1
        self.flush()

    def on_sendable(self, event):
        self.flush()

    def flush(self):
        while self.pending and self.sender.credit > 0:
            self.sender.send(self.pending.pop(0))

    def reply_outcome(self, event):
        d = event.delivery
        emit('reply_outcome', state=state_name(d), **condition_json(d.remote.condition))
        self.settled += 1
        if self.opts.count and self.settled == self.opts.count:
            self.finish()

    on_accepted = reply_outcome
    on_rejected = reply_outcome
    on_released = reply_outcome

    def on_stdin_closed(self, _event):
        self.finish()

    def finish(self):
        if self.finished:
            return
        self.finished = True
        emit('done', handled=self.handled)
        if self.stdin:
            self.stdin.close()
        self.conn.close()



def main():
    p = base_args(__doc__)
    p.add_argument('--address', required=True)
    p.add_argument('--count', type=int, default=1, help='requests to answer; 0: until stdin is closed')
    opts = p.parse_args()
    Container(Responder(opts)).run()


if __name__ == '__main__':
    main()
