#!/usr/bin/python3
"""Declares a transaction, sends --count messages to --address in it, then commits it (or
with --rollback aborts it).

Output (JSON lines): {"event":"declared","txn_id":...} once the coordinator has answered;
{"event":"committed"} or {"event":"aborted"} when the discharge is accepted; finally
{"event":"done","sent":n}. A refused coordinator link or a failed declare or discharge exits 4.
"""

from proton import Message
from proton.handlers import TransactionHandler
from proton.reactor import Container

from interop_common import ClientHandler, base_args, condition_json, emit, fail


class TxSender(ClientHandler, TransactionHandler):
    def __init__(self, opts):
        super().__init__(opts, auto_settle=True)
        self.sent = 0
        self.txn = None
        self.sender = None

    def on_start(self, event):
        self.start_deadline(event.container, lambda: {'sent': self.sent, 'declared': self.txn is not None})
        self.conn = event.container.connect(self.opts.url, reconnect=False)
        self.sender = event.container.create_sender(self.conn, self.opts.address)
        event.container.declare_transaction(self.conn, handler=self)

    def on_transaction_declared(self, event):
        self.txn = event.transaction
        txn_id = self.txn.id
        emit('declared', txn_id=bytes(txn_id).decode('utf-8', 'replace') if txn_id is not None else None)
        self.send()

    def on_sendable(self, event):
        self.send()

    def send(self):
        if self.txn is None or self.sent >= self.opts.count:
            return
        while self.sender.credit > 0 and self.sent < self.opts.count:
            self.txn.send(self.sender, Message(body='txn-message-%d' % self.sent))
            self.sent += 1
        if self.sent == self.opts.count:
            if self.opts.rollback:
                self.txn.abort()
            else:
                self.txn.commit()

    def on_transaction_declare_failed(self, event):
        fail('declare failed')

    def on_transaction_commit_failed(self, event):
        fail('commit failed')

    def on_transaction_committed(self, event):
        emit('committed')
        self.finish()

    def on_transaction_aborted(self, event):
        emit('aborted')
        self.finish()

    def on_link_error(self, event):
        fail('link closed by the router', link=event.link.name, **condition_json(event.link.remote_condition))

    def finish(self):
        if self.finished:
            return
        self.finished = True
        emit('done', sent=self.sent)
        self.conn.close()


def main():
    p = base_args(__doc__)
    p.add_argument('--address', required=True)
    p.add_argument('--count', type=int, default=1)
    p.add_argument('--rollback', action='store_true')
    opts = p.parse_args()
    Container(TxSender(opts)).run()


if __name__ == '__main__':
    main()
