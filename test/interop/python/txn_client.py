#!/usr/bin/python3
"""A local transaction (Proton's own controller): sends --send messages to --address in it, or
receives --receive messages from --address and accepts them in it; then commits, or rolls back
with --rollback.

Output (JSON lines): {"event":"declared","txn":id}; one {"event":"message",...} per message
received; {"event":"committed"} or {"event":"rolled_back"}; finally {"event":"done",...}.
A failed declare or commit is an error (exit 4).
"""

from proton import Message
from proton.handlers import TransactionHandler
from proton.reactor import Container

from interop_common import ClientHandler, base_args, describe_message, emit, fail


class TxnClient(ClientHandler, TransactionHandler):
    def __init__(self, opts):
        super().__init__(opts, prefetch=0, auto_accept=False)
        self.txn = None
        self.sent = 0
        self.received = 0

    def on_start(self, event):
        self.start_deadline(event.container, lambda: {'sent': self.sent, 'received': self.received})
        self.conn = event.container.connect(self.opts.url, reconnect=False)
        # Named links: Proton would name a sender and a receiver on one address alike.
        if self.opts.send:
            self.link = event.container.create_sender(self.conn, self.opts.address, name='txn-client-sender')
        else:
            self.link = event.container.create_receiver(self.conn, self.opts.address, name='txn-client-receiver')
        event.container.declare_transaction(self.conn, handler=self)

    def on_transaction_declared(self, event):
        self.txn = event.transaction
        emit('declared', txn=self.txn.id)
        if self.opts.send:
            self.send_all()
        else:
            self.link.flow(self.opts.receive)

    def on_sendable(self, _event):
        self.send_all()

    def send_all(self):
        # Only with credit: a discharge must not overtake the transfers it covers.
        while self.txn and self.sent < self.opts.send and self.link.credit > 0:
            self.txn.send(self.link, Message(body='txn-%d' % self.sent))
            self.sent += 1
            if self.sent == self.opts.send:
                self.discharge()

    def on_message(self, event):
        emit('message', **describe_message(event.message))
        self.txn.accept(event.delivery)
        self.received += 1
        if self.received == self.opts.receive:
            self.discharge()

    def discharge(self):
        if self.opts.rollback:
            self.txn.abort()
        else:
            self.txn.commit()

    def on_transaction_committed(self, _event):
        emit('committed')
        self.finish()

    def on_transaction_aborted(self, _event):
        emit('rolled_back')
        self.finish()

    def on_transaction_declare_failed(self, event):
        fail('declare failed')

    def on_transaction_commit_failed(self, event):
        fail('commit failed')

    def finish(self):
        self.finished = True
        emit('done', sent=self.sent, received=self.received)
        self.conn.close()


def main():
    p = base_args(__doc__)
    p.add_argument('--address', required=True)
    p.add_argument('--send', type=int, default=0, help='messages to send in the transaction')
    p.add_argument('--receive', type=int, default=0, help='messages to receive and accept in the transaction')
    p.add_argument('--rollback', action='store_true', help='roll back instead of committing')
    opts = p.parse_args()
    if bool(opts.send) == bool(opts.receive):
        p.error('one of --send and --receive is needed')
    Container(TxnClient(opts)).run()


if __name__ == '__main__':
    main()
