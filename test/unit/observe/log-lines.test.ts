// The connection and link lines, against the forms in qdrouterd 1.19's own logs (wire captures,
// raw/RA.log.gz and RB.log.gz) where qdrouterd has the same line.

import { expect } from 'chai';
import { AmqpMap, int, sym } from '../../../router/amqp/codec/values';
import { Descriptor } from '../../../router/amqp/performatives';
import { acceptedLine, closedLine, failedLine, openedLine } from '../../../router/observe/connection-lines';
import { attachedLine, endedLine, refusedLine, terminusText } from '../../../router/observe/link-lines';

const source = (fields: object = {}) => ({ kind: Descriptor.source, ...fields });
const target = (fields: object = {}) => ({ kind: Descriptor.target, ...fields });

describe('observe/connection-lines and link-lines', () => {
  describe('termini', () => {
    it('as qdrouterd prints them', () => {
      expect(terminusText(source({ address: 'preAddress' }))).to.equal('{preAddress expire:sess}');
      expect(terminusText(target())).to.equal('{<none> expire:sess}');
      expect(terminusText(source({ dynamic: true }))).to.equal('{(dyn)<none> expire:sess}');
      expect(terminusText(source({ expiryPolicy: 'session-end', capabilities: 'qd.router' }))).to.equal('{<none> expire:sess caps::"qd.router"}');
      expect(terminusText(undefined)).to.equal('{}');
    });

    it('durability, expiry, distribution, timeout, capability lists, filters', () => {
      expect(terminusText(source({ address: 'q', durable: 2, expiryPolicy: 'never', distributionMode: 'copy', timeout: 30, capabilities: ['queue', 'shared.x'] })))
        .to.equal('{q dur:deliveries dist:copy timeout:30 caps:@PN_SYMBOL[:queue, :"shared.x"]}');
      expect(terminusText(source({ address: 'q', expiryPolicy: 'link-detach', filter: new AmqpMap([[sym('selector'), 'x = 1']]) })))
        .to.equal('{q expire:link flt:{:selector="x = 1"}}');
      expect(terminusText({ kind: Descriptor.coordinator })).to.equal('{<coordinator>}');
    });
  });

  describe('link lines', () => {
    const link = { connId: 1, linkId: 2, incoming: false };
    it('attached, refused, detached and lost', () => {
      expect(attachedLine(link, source({ address: 'preAddress' }), target())).to.equal('[C1][L2] Link attached: dir=out source={preAddress expire:sess} target={<none> expire:sess}');
      expect(refusedLine({ ...link, incoming: true }, source(), target({ address: 'nowhere' }), { condition: 'amqp:not-found', description: 'Node not found' }))
        .to.equal('[C1][L2] Link refused: dir=in source={<none> expire:sess} target={nowhere expire:sess} condition=amqp:not-found description="Node not found"');
      expect(endedLine(link, true, 'peer', undefined)).to.equal('[C1][L2] Link detached: by=peer');
      expect(endedLine(link, true, 'router', { condition: 'amqp:link:transfer-limit-exceeded', description: 'a "quoted" word' }))
        .to.equal('[C1][L2] Link detached: by=router condition=amqp:link:transfer-limit-exceeded description="a \\"quoted\\" word"');
      expect(endedLine(link, false, 'peer', undefined)).to.equal('[C1][L2] Link lost');
      expect(endedLine(link, false, 'peer', { condition: 'amqp:session:errant-link' })).to.equal('[C1][L2] Link lost: condition=amqp:session:errant-link');
    });
  });

  describe('connection lines', () => {
    it('Accepted and Opened as qdrouterd, with role and listener or connector after', () => {
      expect(acceptedLine(3, '127.0.0.1:37810', '127.0.0.1:45886')).to.equal('[C3] Accepted connection to 127.0.0.1:37810 from 127.0.0.1:45886');
      expect(openedLine({ connId: 3, dir: 'in', host: '127.0.0.1:45886', mechanism: 'ANONYMOUS', user: 'anonymous', containerId: 'recv-myAddress', properties: undefined, role: 'normal', config: { kind: 'listener', name: 'amqp' } }))
        .to.equal('[C3] Connection Opened: dir=in host=127.0.0.1:45886 vhost= encrypted=no auth=ANONYMOUS user=anonymous container_id=recv-myAddress props= role=normal listener=amqp');
      const props = new AmqpMap([[sym('product'), 'qpid-dispatch-router'], [sym('version'), '1.19.0'], [sym('qd.conn-id'), int(2)], [sym('qd.annotations-version'), int(1)]]);
      expect(openedLine({ connId: 1, dir: 'out', host: '127.0.0.1:37812', mechanism: 'ANONYMOUS', user: undefined, containerId: 'RA', properties: props, role: 'inter-router', config: { kind: 'connector', name: 'to-RA' } }))
        .to.equal('[C1] Connection Opened: dir=out host=127.0.0.1:37812 vhost= encrypted=no auth=ANONYMOUS user=(null) container_id=RA props={:product="qpid-dispatch-router", :version="1.19.0", :"qd.conn-id"=2, :"qd.annotations-version"=1} role=inter-router connector=to-RA');
      expect(openedLine({ connId: 5, dir: 'in', host: 'h:1', mechanism: undefined, user: undefined, containerId: 'c', properties: undefined, role: 'normal', config: undefined }))
        .to.equal('[C5] Connection Opened: dir=in host=h:1 vhost= encrypted=no auth=no user=anonymous container_id=c props= role=normal');
    });

    it('Closed with who closed it and why; failed as qdrouterd', () => {
      expect(closedLine(3, undefined, undefined, undefined)).to.equal('[C3] Connection Closed');
      expect(closedLine(3, 'peer', undefined, undefined)).to.equal('[C3] Connection Closed: by=peer');
      expect(closedLine(3, 'router', { condition: 'amqp:decode-error', description: 'bad' }, undefined)).to.equal('[C3] Connection Closed: by=router condition=amqp:decode-error description="bad"');
      expect(closedLine(3, 'socket', undefined, 'read ECONNRESET')).to.equal('[C3] Connection Closed: by=socket socket-error="read ECONNRESET"');
      expect(failedLine(10, 'in', '127.0.0.1:57988', '127.0.0.1:37810', undefined, undefined))
        .to.equal('[C10] Connection from 127.0.0.1:57988 (to 127.0.0.1:37810) failed: amqp:connection:framing-error connection aborted');
      expect(failedLine(4, 'out', '127.0.0.1:5672', undefined, { condition: 'amqp:unauthorized-access', description: 'SASL outcome 1' }, 'x'))
        .to.equal('[C4] Connection to 127.0.0.1:5672 failed: amqp:unauthorized-access SASL outcome 1 (x)');
    });
  });
});
