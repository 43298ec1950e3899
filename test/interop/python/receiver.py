#!/usr/bin/python3
"""Receives messages from --address (or from a dynamic source) and prints them.

Output (JSON lines): {"event":"ready","address":a} once the router has attached the link (a is
the source address it answered with: the assigned one for --dynamic); one {"event":"message",
"settled":bool,...} per message (string bodies as "body", binary ones as "body_size" and
"body_sha256"); finally {"event":"done","received":n}.
It stops after --count messages, or with --count 0 when stdin is closed. Each unsettled message
gets the --outcome (accept, reject with --condition/--description, release, modify).
"""

from proton import Condition, Delivery
from proton.reactor import Container

from interop_common import (ClientHandler, StdinStop, base_args, describe_message, emit)

OUTCOMES = {'accept': Delivery.ACCEPTED, 'reject': Delivery.REJECTED, 'release': Delivery.RELEASED, 'modify': Delivery.MODIFIED}


class Receiver(ClientHandler):
    def __init__(self, opts):
        # Credit is managed here, not by proton's prefetch: a window of --credit, one more per message.
        super().__init__(opts, prefetch=0, auto_accept=False)
        self.received = 0
        self.stdin = None

    def on_start(self, event):
        self.start_deadline(event.container, lambda: {'received': self.received})
        if self.opts.count == 0:
            self.stdin = StdinStop(event.container)
        self.conn = event.container.connect(self.opts.url, reconnect=False)
        if self.opts.dynamic:
            link = event.container.create_receiver(self.conn, None, dynamic=True)
        else:
            link = event.container.create_receiver(self.conn, self.opts.address)
        link.flow(self.opts.credit)

    def on_link_opened(self, event):
        emit('ready', address=event.link.remote_source.address)

    def on_message(self, event):
        d = event.delivery
        emit('message', settled=d.settled, **describe_message(event.message))
        self.received += 1
        if not d.settled:
            if self.opts.outcome == 'reject' and self.opts.condition:
                d.local.condition = Condition(self.opts.condition, self.opts.description)
            if self.opts.outcome == 'modify':
                d.local.failed = True
            d.update(OUTCOMES[self.opts.outcome])
        d.settle()
        if self.opts.count and self.received >= self.opts.count:
            self.finish()
        else:
            event.link.flow(1)

    def on_stdin_closed(self, _event):
        self.finish()

    def finish(self):
        if self.finished:
            return
        self.finished = True
        emit('done', received=self.received)
        if self.stdin:
            self.stdin.close()
        self.conn.close()



def main():
    p = base_args(__doc__)
    p.add_argument('--address', default=None)
    p.add_argument('--dynamic', action='store_true', help='ask the router for a dynamic source address')
    p.add_argument('--count', type=int, default=1, help='messages to receive; 0: until stdin is closed')
    p.add_argument('--credit', type=int, default=10, help='credit window: given at attach, one more per message')
    p.add_argument('--outcome', choices=sorted(OUTCOMES), default='accept')
    p.add_argument('--condition', default=None, help='error condition of a rejected outcome')
    p.add_argument('--description', default=None)
    opts = p.parse_args()
    if not opts.dynamic and not opts.address:
        p.error('--address or --dynamic is needed')
    Container(Receiver(opts)).run()


if __name__ == '__main__':
    main()
