#!/usr/bin/python3
"""Management requests through Qpid Proton's SyncRequestResponse, exactly as qdstat sends them:
a blocking connection, a sender to the management address and a dynamic receiver, reply-to the
receiver's address and a string correlation-id counter. GET-MGMT-NODES, then a QUERY of
--entity-type with offset 0 and count 500 (longs), then one request per --extra JSON object.

Output (JSON lines): {"event":"reply","operation":op,"statusCode":n,"statusDescription":s,
"correlation_id":c,"body":...} per request; finally {"event":"done"}. Exit 3 on timeout, 4 on error.
"""

import argparse
import json
import os
import sys

from proton import Message
from proton.utils import BlockingConnection, SyncRequestResponse

from interop_common import EXIT_ERROR, EXIT_TIMEOUT, emit, to_json


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--url', required=True)
    p.add_argument('--address', default='$management')
    p.add_argument('--entity-type', default='org.apache.qpid.dispatch.router')
    p.add_argument('--extra', action='append', default=[], help='JSON {"properties": {...}, "body": ...}')
    p.add_argument('--timeout', type=float, default=8)
    opts = p.parse_args()
    try:
        conn = BlockingConnection(opts.url, timeout=opts.timeout)
        client = SyncRequestResponse(conn, opts.address)
        requests = [
            ({'name': 'self', 'type': 'org.amqp.management', 'operation': 'GET-MGMT-NODES'}, {}),
            ({'name': 'self', 'type': 'org.amqp.management', 'operation': 'QUERY', 'entityType': opts.entity_type, 'offset': 0, 'count': 500},
             {'attributeNames': []}),
        ] + [(x['properties'], x.get('body', {})) for x in map(json.loads, opts.extra)]
        for props, body in requests:
            reply = client.call(Message(body=body, properties=props))
            ap = reply.properties or {}
            emit('reply', operation=props.get('operation'), statusCode=ap.get('statusCode'), statusDescription=ap.get('statusDescription'),
                 correlation_id=to_json(reply.correlation_id), durable=reply.durable, body=to_json(reply.body))
        conn.close()
        emit('done')
    except Exception as e:  # a timeout or a broken reply: say which, with the exit code the tests know
        timeout = 'Timeout' in type(e).__name__
        emit('timeout' if timeout else 'error', what=f'{type(e).__name__}: {e}')
        sys.stdout.flush()
        os._exit(EXIT_TIMEOUT if timeout else EXIT_ERROR)


if __name__ == '__main__':
    main()
