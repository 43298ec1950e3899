// The management requests qdstat and qdmanage 1.19 sent to a real qdrouterd (wire capture 3),
// replayed into our agent with no sockets: each gets the status qdrouterd gave, the same
// attribute lists in the same order, and replies built like qdrouterd's (header, properties,
// application-properties, body; AMQP types kept).

import { expect } from 'chai';
import { AmqpMap, AmqpSymbol, type AmqpValue, Typed, ulong } from '../../../router/amqp/codec/values';
import { readSections } from '../../../router/amqp/message-sections';
import { ManagementAgent } from '../../../router/management/agent';
import { encodeReply } from '../../../router/management/reply';
import { parseRequest } from '../../../router/management/request';
import { RouterNode } from '../../../router/node/router-node';
import { Logging } from '../../../router/observe/logger';
import { loadCapture } from '../../helpers/wire-captures';
import { readFrame } from '../../helpers/qdrouterd-script';

interface Exchange { tag: string; request: Buffer; reply: Buffer }

/** Requests from the tools and the replies RA sent them, paired by connection and correlation-id. */
function exchanges(): Exchange[] {
  const frames = loadCapture('3-management').filter((f) => f.perf === 'transfer' && f.tag.startsWith('mgmt-'));
  const out: Exchange[] = [];
  for (const f of frames.filter((x) => x.dir === 'tool->A')) {
    const request = readFrame(Buffer.from(f.hex, 'hex')).payload!;
    const corr = parseRequest(request).correlationId;
    const reply = frames.find((x) => x.dir === 'A->tool' && x.tag === f.tag && parseReply(readFrame(Buffer.from(x.hex, 'hex')).payload!).correlationId === corr)!;
    out.push({ tag: f.tag, request, reply: readFrame(Buffer.from(reply.hex, 'hex')).payload! });
  }
  return out;
}

function parseReply(payload: Buffer) {
  const m = readSections(payload);
  return {
    header: m.header, to: m.properties![2], correlationId: m.properties![5], annotations: m.messageAnnotations,
    status: (m.applicationProperties!.get('statusCode') as Typed), description: m.applicationProperties!.get('statusDescription'), body: m.body[0],
  };
}

/** An AMQP value's types, not its numbers (counters differ; the types must not). */
function shape(v: AmqpValue): unknown {
  if (v instanceof Typed) return v.type;
  if (v instanceof AmqpSymbol) return 'symbol';
  if (v instanceof AmqpMap) return Object.fromEntries(v.entries.map(([k, x]) => [String(k), shape(x)]));
  if (Array.isArray(v)) return v.map(shape);
  return v === null ? null : typeof v;
}

describe('management: the requests of wire capture 3 replayed into the agent', () => {
  let node: RouterNode;
  let agent: ManagementAgent;
  const all = exchanges();

  before(() => {
    node = new RouterNode({ id: 'RA', mode: 'standalone', logging: new Logging([{ module: 'DEFAULT', enable: 'none' }]) });
    agent = new ManagementAgent(node, { mode: 'interior', area: '0', workerThreads: 4, version: '1.19.0' });
  });
  after(() => node.stop());

  it('parses every request: reply-to, string correlation-id, operation and type from application-properties', () => {
    expect(all.length).to.equal(22);
    for (const x of all) {
      const req = parseRequest(x.request);
      expect(req.replyTo, x.tag).to.match(/^amqp:\/_topo\/0\/RA\/temp\./);
      expect(req.correlationId).to.be.a('string');
      expect(req.properties.get('operation')).to.be.a('string');
    }
  });

  it('answers each with the status qdrouterd gave, and the same attribute names in the same order', async () => {
    for (const x of all) {
      const req = parseRequest(x.request);
      const theirs = parseReply(x.reply);
      const ours = await agent.handle(req);
      const what = `${x.tag} ${String(req.properties.get('operation'))} ${String(req.properties.get('entityType') ?? req.properties.get('type'))}`;
      expect(ours.status, what).to.equal(theirs.status.number);
      if (req.properties.get('operation') === 'QUERY') {
        expect((ours.body as AmqpMap).get('attributeNames'), what).to.deep.equal((theirs.body as AmqpMap).get('attributeNames'));
        const rows = (ours.body as AmqpMap).get('results') as AmqpValue[][];
        const theirRows = (theirs.body as AmqpMap).get('results') as AmqpValue[][];
        // Same AMQP type per column where both have a value (the router entity is one row on both sides).
        if (req.properties.get('entityType') === 'org.apache.qpid.dispatch.router') {
          const mismatched = rows[0].map((v, i) => [v, theirRows[0][i], i] as const).filter(([a, b]) => a !== null && b !== null && JSON.stringify(shape(a)) !== JSON.stringify(shape(b)));
          expect(mismatched.map(([, , i]) => ((theirs.body as AmqpMap).get('attributeNames') as string[])[i]), what).to.deep.equal([]);
        }
      }
    }
  });

  it('CREATE address answers exactly the attributes and types qdrouterd did; DELETE 204 with an empty map', async () => {
    const create = all.find((x) => parseRequest(x.request).properties.get('operation') === 'CREATE')!;
    const theirs = parseReply(create.reply);
    const ours = await agent.handle(parseRequest(create.request));
    const a = shape(ours.body) as Record<string, unknown>;
    const b = shape(theirs.body) as Record<string, unknown>;
    expect(Object.keys(a)).to.deep.equal(Object.keys(b));
    expect(a).to.deep.equal(b);
    expect((ours.body as AmqpMap).get('identity')).to.be.a('string');
  });

  it('GET-TYPES: every type qdrouterd lists, with the same base types', async () => {
    const x = all.find((e) => parseRequest(e.request).properties.get('operation') === 'GET-TYPES')!;
    const theirs = parseReply(x.reply).body as AmqpMap;
    const ours = (await agent.handle(parseRequest(x.request))).body as AmqpMap;
    for (const [k, v] of theirs.entries) {
      if (k === 'org.apache.qpid.dispatch.dummy') continue; // a test type of qdrouterd's schema
      expect(ours.get(k as string), String(k)).to.deep.equal(v);
    }
  });

  it('a reply is built as qdrouterd\'s: durable=false header, to and correlation-id, int statusCode, amqp-value body', () => {
    const x = all.find((e) => parseRequest(e.request).properties.get('operation') === 'GET-MGMT-NODES')!;
    const theirs = parseReply(x.reply);
    const req = parseRequest(x.request);
    const ours = parseReply(encodeReply({ to: req.replyTo!, correlationId: req.correlationId, status: 200, description: 'OK', body: theirs.body }, 'RA').plain);
    expect(ours.header).to.deep.equal([false]);
    expect(ours.to).to.equal(theirs.to);
    expect(ours.correlationId).to.equal(theirs.correlationId);
    expect(ours.status.type).to.equal('int');
    expect(ours.status.number).to.equal(200);
    expect(ours.description).to.equal('OK');
    expect(ours.body).to.deep.equal(theirs.body);
    expect(ours.annotations).to.equal(undefined);
  });

  it('toward the mesh a reply carries ingress and trace, as RB\'s reply in the capture', () => {
    const routed = loadCapture('3-management').find((f) => f.tag === 'IR' && f.dir === 'B->A' && f.perf === 'transfer' && f.ch === 5)!;
    const theirs = parseReply(readFrame(Buffer.from(routed.hex, 'hex')).payload!);
    const ours = parseReply(encodeReply({ to: theirs.to as string, correlationId: theirs.correlationId, status: 200, description: 'OK', body: theirs.body }, 'RB').annotated());
    expect(ours.annotations).to.deep.equal(theirs.annotations);
  });

  it('correlation-ids keep their AMQP type (ulong, uuid, binary)', () => {
    for (const corr of [ulong(7), new Typed('uuid', Buffer.alloc(16, 1)), Buffer.from('ab', 'hex')]) {
      const reply = parseReply(encodeReply({ to: 'x', correlationId: corr, status: 200, description: 'OK', body: null }, 'RA').plain);
      expect(shape(reply.correlationId)).to.deep.equal(shape(corr));
      expect(reply.correlationId).to.deep.equal(corr instanceof Typed ? new Typed(corr.type, corr.value, (reply.correlationId as Typed).code) : corr);
    }
  });

  it('a request whose body does not decode is still answered (400) when its properties could be read', async () => {
    const x = all.find((e) => parseRequest(e.request).properties.get('operation') === 'QUERY')!;
    const req = parseRequest(x.request.subarray(0, x.request.length - 3));
    expect(req.replyTo).to.match(/temp\./);
    expect(req.malformed).to.match(/truncated/);
    const r = await agent.handle(req);
    expect(r.status).to.equal(400);
    expect(r.description).to.match(/^Malformed request/);
    expect(parseRequest(Buffer.from([0x00, 0x53, 0x73, 0x45])).malformed).to.equal(undefined); // an empty properties list is fine
  });

  it('RELOAD on the router: the report of node.reloadConfig as the body; 501 without one', async () => {
    const req = { replyTo: 'r', correlationId: null, properties: new Map<string, AmqpValue>([['operation', 'RELOAD'], ['type', 'org.apache.qpid.dispatch.router'], ['name', 'RA']]), body: new AmqpMap() };
    expect((await agent.handle(req)).status).to.equal(501);
    node.reloadConfig = async () => ({ applied: ['listener extra added'], notApplied: ['router.workerThreads needs a restart'], problems: [] });
    const r = await agent.handle(req);
    node.reloadConfig = undefined;
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal(new AmqpMap([['applied', ['listener extra added']], ['notApplied', ['router.workerThreads needs a restart']], ['problems', []]]));
  });

  it('a malformed request body or properties: a status, never an exception', async () => {
    const bad = [
      { replyTo: 'r', correlationId: null, properties: new Map<string, AmqpValue>(), body: null },
      { replyTo: 'r', correlationId: null, properties: new Map<string, AmqpValue>([['operation', 'QUERY'], ['entityType', 5 as unknown as AmqpValue]]), body: null },
      { replyTo: 'r', correlationId: null, properties: new Map<string, AmqpValue>([['operation', 'QUERY'], ['entityType', 'org.apache.qpid.dispatch.router']]), body: ['x'] },
      { replyTo: 'r', correlationId: null, properties: new Map<string, AmqpValue>([['operation', 'UPDATE'], ['type', 'log'], ['name', 'log/ROUTER']]), body: new AmqpMap([['enable', 3 as unknown as AmqpValue]]) },
    ];
    const statuses = [];
    for (const req of bad) statuses.push((await agent.handle(req)).status);
    expect(statuses).to.deep.equal([400, 400, 400, 400]);
  });
});
