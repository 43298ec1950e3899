"""Shared by the interop client scripts (run with /usr/bin/python3 and Debian's python3-qpid-proton).

Every script writes one JSON object per line on stdout ({"event": ...}), has a deadline after
which it prints {"event": "timeout"} and exits 3 (a broken router fails a test, never hangs it),
exits 4 with {"event": "error", ...} on an error or close from the router, and exits 0 only
when it did all it was asked.
"""

import argparse
import hashlib
import json
import os
import sys
import threading
import uuid

from proton import Delivery, Described, Message, symbol
from proton.handlers import MessagingHandler
from proton.reactor import ApplicationEvent, EventInjector

EXIT_TIMEOUT = 3
EXIT_ERROR = 4


def emit(event, **fields):
    sys.stdout.write(json.dumps({'event': event, **fields}, default=str) + '\n')
    sys.stdout.flush()


def fail(what, **fields):
    """An error the script cannot go on from: report it and exit at once."""
    emit('error', what=what, **fields)
    os._exit(EXIT_ERROR)


def to_json(v):
    """A decoded AMQP value as JSON (symbols and numbers as their Python base types)."""
    if isinstance(v, dict):
        return {str(k): to_json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_json(x) for x in v]
    if isinstance(v, (bytes, bytearray, memoryview)):
        return {'binary_hex': bytes(v).hex()} if len(v) <= 64 else {'binary_size': len(v)}
    if isinstance(v, Described):
        return {'descriptor': to_json(v.descriptor), 'value': to_json(v.value)}
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, bool) or v is None:
        return v
    # symbol, ulong, int32, float32, ... are subclasses of str, int and float.
    if isinstance(v, str):
        return str(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float(v)
    return str(v)


def describe_message(m: Message):
    """What the tests look at in a received message."""
    d = {}
    body = m.body
    if isinstance(body, (bytes, bytearray, memoryview)):
        data = bytes(body)
        d['body_size'] = len(data)
        d['body_sha256'] = hashlib.sha256(data).hexdigest()
    else:
        d['body'] = to_json(body)
    for name in ('id', 'correlation_id', 'subject', 'reply_to', 'address'):
        v = getattr(m, name)
        if v is not None:
            d[name] = to_json(v)
    if m.properties:
        d['application_properties'] = to_json(m.properties)
    if m.annotations:
        d['message_annotations'] = to_json(m.annotations)
    return d


OUTCOME_NAMES = {Delivery.ACCEPTED: 'accepted', Delivery.REJECTED: 'rejected', Delivery.RELEASED: 'released', Delivery.MODIFIED: 'modified'}


def state_name(delivery):
    return OUTCOME_NAMES.get(delivery.remote_state, str(delivery.remote_state))


def condition_json(cond):
    if cond is None:
        return {}
    return {'condition': str(cond.name), 'description': cond.description}


def base_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--url', required=True, help='amqp://127.0.0.1:PORT')
    p.add_argument('--timeout', type=float, default=10.0, help='seconds before giving up (exit 3)')
    return p


class Deadline:
    """Exits the process with a timeout event if the work is not done in time."""

    def __init__(self, container, seconds, progress):
        self.progress = progress
        self.task = container.schedule(seconds, self)

    def on_timer_task(self, _event):
        emit('timeout', **self.progress())
        os._exit(EXIT_TIMEOUT)

    def stop(self, container):
        """The work is over (the connection is closed): end the event loop now. A cancelled timer
        alone would keep the loop in select() for up to ~3 s more."""
        self.task.cancel()
        container.stop()


class StdinStop:
    """Dispatches `on_stdin_closed` to the container's handler when stdin reaches EOF
    (how a test tells a client that receives "until told to stop" to finish cleanly)."""

    def __init__(self, container):
        self.injector = EventInjector()
        container.selectable(self.injector)
        threading.Thread(target=self._wait, daemon=True).start()

    def _wait(self):
        try:
            while sys.stdin.buffer.read(65536):
                pass
        finally:
            self.injector.trigger(ApplicationEvent('stdin_closed'))

    def close(self):
        self.injector.close()


def json_arg(text):
    return json.loads(text) if text else None


def symbol_keys(d):
    return {symbol(k): v for k, v in d.items()} if d else None


class ClientHandler(MessagingHandler):
    """What every script does around its work: a deadline, and failing (exit 4) on any error or
    close from the router before the work is `finished`."""

    def __init__(self, opts, **kwargs):
        super().__init__(**kwargs)
        self.opts = opts
        self.finished = False
        self.deadline = None

    def start_deadline(self, container, progress):
        self.deadline = Deadline(container, self.opts.timeout, progress)

    def on_delivery(self, event):
        # Runs before MessagingHandler's own delivery handlers, which would raise on this.
        d = event.delivery
        if d.link.is_receiver and d.readable and not d.partial and d.pending == 0:
            fail('a complete delivery with no payload (not a message)', delivery_tag=repr(d.tag))

    def on_connection_closed(self, event):
        self.deadline.stop(event.container)
        if not self.finished:
            fail('the router closed the connection before the work was done')

    def on_link_error(self, event):
        fail('link closed by the router', link=event.link.name, **condition_json(event.link.remote_condition))

    def on_connection_error(self, event):
        fail('connection closed by the router', **condition_json(event.connection.remote_condition))

    def on_transport_error(self, event):
        if not self.finished:
            fail('transport error', **condition_json(event.transport.condition))

    def on_disconnected(self, event):
        if not self.finished:
            fail('disconnected')
