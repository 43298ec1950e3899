#!/usr/bin/python3
"""Sends --count messages to --address and prints each outcome.

Output (JSON lines): {"event":"opened"} once the link is attached; with --body-size, one
{"event":"sent","index":i,"body_size":n,"body_sha256":h} per message; for unsettled sends one
{"event":"outcome","index":i,"state":"accepted|rejected|released|modified",...condition} per
message; finally {"event":"done","sent":n,"outcomes":{state: count}}.
Bodies are strings from --body (with {i} replaced by the index), or with --body-size random binary
data of that many bytes in a data section.
"""

import hashlib
import os

from proton import Message
from proton.reactor import AtMostOnce, Container

from interop_common import (ClientHandler, base_args, condition_json, emit, json_arg, state_name, symbol_keys)



class Sender(ClientHandler):
    def __init__(self, opts):
        super().__init__(opts, auto_settle=True)
        self.sent = 0
        self.settled = 0
        self.index = {}
        self.outcomes = {}
        self.properties = json_arg(opts.properties)
        self.annotations = symbol_keys(json_arg(opts.annotations))

    def on_start(self, event):
        self.start_deadline(event.container, lambda: {'sent': self.sent, 'settled': self.settled})
        self.conn = event.container.connect(self.opts.url, reconnect=False)
        options = AtMostOnce() if self.opts.presettled else None
        event.container.create_sender(self.conn, self.opts.address, options=options)

    def on_link_opened(self, event):
        emit('opened', target=event.link.remote_target.address)

    def message(self, i):
        m = Message(subject=self.opts.subject, properties=self.properties, annotations=self.annotations, reply_to=self.opts.reply_to)
        if self.opts.to is not None:
            m.address = self.opts.to
        if self.opts.body_size is not None:
            data = os.urandom(self.opts.body_size)
            m.body = data
            m.inferred = True  # bytes go in a data section, not an amqp-value
            emit('sent', index=i, body_size=len(data), body_sha256=hashlib.sha256(data).hexdigest())
        else:
            m.body = self.opts.body.replace('{i}', str(i))
        return m

    def on_sendable(self, event):
        while event.sender.credit > 0 and self.sent < self.opts.count:
            d = event.sender.send(self.message(self.sent))
            self.index[d] = self.sent
            self.sent += 1
        if self.sent == self.opts.count and self.opts.presettled:
            self.finish()

    def outcome(self, event):
        d = event.delivery
        state = state_name(d)
        emit('outcome', index=self.index.pop(d, None), state=state, **condition_json(d.remote.condition))
        self.outcomes[state] = self.outcomes.get(state, 0) + 1
        self.settled += 1
        if self.settled == self.opts.count:
            self.finish()

    on_accepted = outcome
    on_rejected = outcome
    on_released = outcome  # proton reports modified through on_released too

    def finish(self):
        if self.finished:
            return
        self.finished = True
        emit('done', sent=self.sent, outcomes=self.outcomes)
        self.conn.close()



def main():
    p = base_args(__doc__)
    p.add_argument('--address', default=None, help='target address; omit for an anonymous sender (use --to)')
    p.add_argument('--to', default=None, help='the to field of each message')
    p.add_argument('--count', type=int, default=1)
    p.add_argument('--body', default='message-{i}')
    p.add_argument('--body-size', type=int, default=None)
    p.add_argument('--presettled', action='store_true')
    p.add_argument('--subject', default=None)
    p.add_argument('--reply-to', default=None)
    p.add_argument('--properties', default=None, help='application properties as a JSON object')
    p.add_argument('--annotations', default=None, help='message annotations as a JSON object')
    opts = p.parse_args()
    Container(Sender(opts)).run()


if __name__ == '__main__':
    main()
