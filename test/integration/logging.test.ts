// The logs an operator reads, from real weftd processes: connections opened and closed (with
// the peer, SASL, listener or connector, and who closed them and why), links attached,
// refused, detached and lost, and messageLoggingComponents. The lines follow qdrouterd 1.19's
// own (wire-captures/raw/*.log.gz): module ROUTER_CORE at info for connections and links.
// Protocol trace switched per connection is checked in process (no management agent here yet).

import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { expect } from 'chai';
import { Connection, EventContext, create_container } from 'rhea';
import { Descriptor } from '../../router/amqp/performatives';
import { FrameType } from '../../router/amqp/frame-parser';
import { loadConfigText } from '../../router/config';
import { listenerSpec, nodeFromConfig } from '../../router/cli/node-from-config';
import type { ClientConnection } from '../../router/node/client-connection';
import { Logging } from '../../router/observe/logger';
import { RawAmqpClient, WireFrame } from '../helpers/raw-amqp-client';
import { Mesh, meshOutput, startMesh, stopMesh } from '../helpers/mesh';
import { closeConnection, collectMessages, nextEvent, openReceiver, openSender, sendable } from '../helpers/rhea-client';
import { RouterProcess, startRouter, tempDir, waitFor } from '../helpers/router-process';

const AMQP_VALUE = Buffer.from('005377a10178', 'hex'); // amqp-value "x"

/** A rhea connection with its own container id (and PLAIN when a user is given), open. */
async function connect(port: number, containerId: string, user?: string): Promise<Connection> {
  const conn = create_container({ id: containerId }).connect({ host: '127.0.0.1', port, reconnect: false, username: user, password: user && 'secret' });
  conn.on('error', () => { /* a refused link or a closed connection is what some tests want */ });
  conn.on('disconnected', () => { /* idem */ });
  await nextEvent(conn as unknown as EventEmitter, 'connection_open', `connection ${containerId}`, 5000, ['connection_close', 'disconnected']);
  return conn;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('operator logs (real weftd)', function () {
  this.timeout(30000);
  let router: RouterProcess;
  let service: { port: number; closeOne: (error: { condition: string; description: string }) => void; stop: () => void };

  /** Waits for a line of the router's log matching `re`; returns its match. */
  const line = async (re: RegExp, what: string, timeoutMs = 5000) => (await waitFor(() => re.exec(router.output()), what, timeoutMs))!;
  /** The connection id of the connection with this container id (from its Opened line). */
  const connId = async (containerId: string) => (await line(new RegExp(`\\[C(\\d+)\\] Connection Opened: .* container_id=${escape(containerId)} `), `the Opened line of ${containerId}`))[1];

  before(async () => {
    service = await startService();
    router = await startRouter(`router {\n    mode: standalone\n    id: LogRouter\n}\n`
      + 'listener {\n    name: amqp\n    host: 127.0.0.1\n    port: 0\n    saslMechanisms: ANONYMOUS PLAIN\n'
      + '    messageLoggingComponents: message-id, reply-to, correlation-id, app-properties\n}\n'
      + 'listener {\n    name: quiet\n    host: 127.0.0.1\n    port: 0\n    linkCapacity: 2\n}\n'
      + `connector {\n    name: service\n    host: 127.0.0.1\n    port: ${service.port}\n    role: route-container\n    saslMechanisms: ANONYMOUS\n}\n`
      + 'log {\n    module: MESSAGE\n    enable: trace+\n}\n');
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(`--- weftd (${router.dir})\n${router.output()}`);
  });

  after(async () => {
    await router?.stop();
    service?.stop();
  });

  describe('connections', () => {
    it('a client: Accepted (SERVER), Opened with peer, SASL user and listener, Closed by the peer with its error', async () => {
      const conn = await connect(router.ports.amqp, 'log-alice', 'alice');
      const id = await connId('log-alice');
      const opened = (await line(new RegExp(`ROUTER_CORE \\(info\\) \\[C${id}\\] Connection Opened: dir=in host=127\\.0\\.0\\.1:(\\d+) vhost= encrypted=no auth=PLAIN user=alice container_id=log-alice props=.* role=normal listener=amqp\\n`), 'the Opened line'));
      expect(router.output()).to.contain(`SERVER (info) [C${id}] Accepted connection to 127.0.0.1:${router.ports.amqp} from 127.0.0.1:${opened[1]}\n`);
      const closed = nextEvent(conn as unknown as EventEmitter, 'connection_close', 'the router\'s close');
      conn.close({ condition: 'amqp:internal-error', description: 'client gave up' });
      await closed;
      await line(new RegExp(`ROUTER_CORE \\(info\\) \\[C${id}\\] Connection Closed: by=peer condition=amqp:internal-error description="client gave up"\\n`), 'the Closed line');
      expect(router.output()).not.to.contain(`[C${id}] Connection from`); // a close is no failure
    });

    it('bad input: qdrouterd\'s SERVER failed line, and Closed by the router with the condition it sent', async () => {
      const raw = await RawAmqpClient.connect(router.ports.quiet);
      await raw.open({ containerId: 'log-bad-peer' });
      const id = await connId('log-bad-peer');
      const garbage = Buffer.from([0, 0, 0, 17, 2, FrameType.amqp, 0, 0, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5]);
      raw.write(garbage);
      const error = await raw.closeError();
      expect(error?.condition).to.equal('amqp:decode-error');
      const port = (raw.transport as net.Socket).localPort;
      await line(new RegExp(`SERVER \\(info\\) \\[C${id}\\] Connection from 127\\.0\\.0\\.1:${port} \\(to 127\\.0\\.0\\.1:${router.ports.quiet}\\) failed: amqp:decode-error ${escape(error!.description!)}\\n`), 'the failed line');
      await line(new RegExp(`ROUTER_CORE \\(info\\) \\[C${id}\\] Connection Closed: by=router condition=amqp:decode-error description="${escape(error!.description!)}"\\n`), 'the Closed line');
      raw.destroy();
    });

    it('a socket gone without a close: its links are lost, the connection failed as qdrouterd says it', async () => {
      const raw = await RawAmqpClient.connect(router.ports.quiet);
      await raw.open({ containerId: 'log-vanishing' });
      await raw.begin(0);
      raw.frame(0, Descriptor.attach, { name: 'doomed', handle: 0, role: true, source: { kind: Descriptor.source, address: 'log.doomed' }, target: { kind: Descriptor.target } });
      await raw.expectFrame('attach');
      const id = await connId('log-vanishing');
      const attached = await line(new RegExp(`\\[C${id}\\]\\[L(\\d+)\\] Link attached: dir=out source=\\{log\\.doomed expire:sess\\} target=\\{<none> expire:sess\\}\\n`), 'the attach line');
      raw.destroy();
      await line(new RegExp(`\\[C${id}\\] Connection Closed: by=socket`), 'the Closed line');
      const log = router.output();
      expect(log).to.contain(`ROUTER_CORE (info) [C${id}][L${attached[1]}] Link lost\n`);
      expect(log).to.match(new RegExp(`SERVER \\(info\\) \\[C${id}\\] Connection from 127\\.0\\.0\\.1:\\d+ \\(to 127\\.0\\.0\\.1:${router.ports.quiet}\\) failed: amqp:connection:framing-error connection aborted`));
    });

    it('a peer that never speaks AMQP: Accepted and failed, no Opened or Closed', async () => {
      const raw = await RawAmqpClient.connect(router.ports.quiet);
      const port = (raw.transport as net.Socket).localPort;
      const accepted = await line(new RegExp(`\\[C(\\d+)\\] Accepted connection to 127\\.0\\.0\\.1:${router.ports.quiet} from 127\\.0\\.0\\.1:${port}\\n`), 'the Accepted line');
      raw.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
      await raw.waitClosed();
      const id = accepted[1];
      await line(new RegExp(`SERVER \\(info\\) \\[C${id}\\] Connection from 127\\.0\\.0\\.1:${port} \\(to .*\\) failed: amqp:connection:framing-error unsupported protocol header`), 'the failed line');
      expect(router.output()).not.to.match(new RegExp(`\\[C${id}\\] Connection (Opened|Closed)`));
    });

    it('a connector\'s connection: Opened dir=out with the connector; Closed by the service with its reason', async () => {
      const id = (await line(/\[C(\d+)\] Connection Opened: dir=out host=127\.0\.0\.1:(\d+) vhost= encrypted=no auth=ANONYMOUS user=\(null\) container_id=log-service props= role=route-container connector=service\n/, 'the connector\'s Opened line'))[1];
      service.closeOne({ condition: 'amqp:connection:forced', description: 'service going away' });
      await line(new RegExp(`ROUTER_CORE \\(info\\) \\[C${id}\\] Connection Closed: by=peer condition=amqp:connection:forced description="service going away"\\n`), 'the Closed line');
    });
  });

  describe('links', () => {
    it('attached with their addresses (a dynamic one with the address given), detached by the peer with its reason', async () => {
      const conn = await connect(router.ports.amqp, 'log-links');
      const id = await connId('log-links');
      const receiver = await openReceiver(conn, 'log.q');
      const sender = await openSender(conn, 'log.q');
      await openReceiver(conn, { source: { dynamic: true } as { address: string; dynamic: boolean } });
      const r = await line(new RegExp(`ROUTER_CORE \\(info\\) \\[C${id}\\]\\[L(\\d+)\\] Link attached: dir=out source=\\{log\\.q expire:sess\\} target=\\{<none> expire:sess\\}\\n`), 'the receiver\'s line');
      const s = await line(new RegExp(`ROUTER_CORE \\(info\\) \\[C${id}\\]\\[L(\\d+)\\] Link attached: dir=in source=\\{<none> expire:sess\\} target=\\{log\\.q expire:sess\\}\\n`), 'the sender\'s line');
      await line(new RegExp(`\\[C${id}\\]\\[L\\d+\\] Link attached: dir=out source=\\{\\(dyn\\)amqp:/_topo/0/LogRouter/temp\\.\\S+ expire:sess\\}`), 'the dynamic receiver\'s line');
      expect(Number(s[1])).to.be.greaterThan(Number(r[1]));

      receiver.close({ condition: 'amqp:internal-error', description: 'consumer done' });
      await line(new RegExp(`ROUTER_CORE \\(info\\) \\[C${id}\\]\\[L${r[1]}\\] Link detached: by=peer condition=amqp:internal-error description="consumer done"\\n`), 'the receiver\'s detach');
      sender.close();
      await line(new RegExp(`ROUTER_CORE \\(info\\) \\[C${id}\\]\\[L${s[1]}\\] Link detached: by=peer\\n`), 'the sender\'s detach');
      await closeConnection(conn);
      await line(new RegExp(`\\[C${id}\\] Connection Closed: by=peer\\n`), 'the Closed line');
    });

    it('a link the router detaches for breaking the protocol: detached by the router with the condition', async () => {
      const consumer = await connect(router.ports.quiet, 'log-greedy-consumer');
      await openReceiver(consumer, 'log.greedy');
      const raw = await RawAmqpClient.connect(router.ports.quiet);
      await raw.open({ containerId: 'log-greedy' });
      await raw.begin(0);
      raw.frame(0, Descriptor.attach, { name: 'greedy', handle: 0, role: false, sndSettleMode: 1, initialDeliveryCount: 0, source: { kind: Descriptor.source }, target: { kind: Descriptor.target, address: 'log.greedy' } });
      const flow = await raw.expect((i) => i.kind === 'frame' && i.name === 'flow' && i.fields.handle === 0 && (i.fields.linkCredit as number) > 0, 'credit') as WireFrame;
      const frames: Buffer[] = [];
      for (let n = 0; n <= (flow.fields.linkCredit as number); n++) {
        frames.push(raw.frameBytes(0, Descriptor.transfer, { handle: 0, deliveryId: n, deliveryTag: Buffer.from(`g${n}`), messageFormat: 0, settled: true }, { payload: AMQP_VALUE }));
      }
      raw.write(Buffer.concat(frames));
      await raw.expectFrame('detach');
      const id = await connId('log-greedy');
      await line(new RegExp(`ROUTER_CORE \\(info\\) \\[C${id}\\]\\[L\\d+\\] Link detached: by=router condition=amqp:link:transfer-limit-exceeded description="[^"]+"\\n`), 'the detach line');
      raw.destroy();
      await closeConnection(consumer);
    });

    it('a refused attach: one line at info with the termini and the condition, no detach line after', async () => {
      const conn = await connect(router.ports.amqp, 'log-spy');
      const id = await connId('log-spy');
      const spy = conn.open_receiver('_local/qdhello');
      spy.on('receiver_error', () => { /* the refusal this test wants */ });
      const refusal = await nextEvent(spy as unknown as EventEmitter, 'receiver_close', 'the refusal');
      expect((refusal.receiver!.error as { condition?: string }).condition).to.equal('amqp:unauthorized-access');
      const refused = await line(new RegExp(`ROUTER_CORE \\(info\\) \\[C${id}\\]\\[L(\\d+)\\] Link refused: dir=out source=\\{_local/qdhello expire:sess\\} target=\\{.*\\} condition=amqp:unauthorized-access description="_local/qdhello is a router control address"\\n`), 'the refused line');
      await closeConnection(conn);
      await line(new RegExp(`\\[C${id}\\] Connection Closed`), 'the Closed line');
      expect(router.output()).not.to.match(new RegExp(`\\[C${id}\\]\\[L${refused[1]}\\] Link (detached|lost)`));
    });
  });

  describe('messageLoggingComponents', () => {
    it('a listener with it: the chosen fields of each message received, at trace of MESSAGE', async () => {
      const conn = await connect(router.ports.amqp, 'log-messages');
      const id = await connId('log-messages');
      const got = collectMessages(await openReceiver(conn, 'log.msg'));
      const sender = await openSender(conn, 'log.msg');
      await sendable(sender);
      sender.send({
        message_id: 'm-1', subject: 'not chosen', reply_to: 'log.replies', correlation_id: 'c-7',
        application_properties: { region: 'eu' }, body: 'a body that is not logged',
      });
      await waitFor(() => got.length === 1, 'the message');
      await line(new RegExp(`MESSAGE \\(trace\\) \\[C${id}\\]: Received Message\\{message-id="m-1", reply-to="log.replies", correlation-id="c-7", app-properties=\\{"region"="eu"\\}\\} on link '${escape(sender.name)}' \\( -> log\\.msg\\)\\n`), 'the message line');
      await closeConnection(conn);
    });

    it('a listener without it: nothing', async () => {
      const conn = await connect(router.ports.quiet, 'log-no-messages');
      const id = await connId('log-no-messages');
      const got = collectMessages(await openReceiver(conn, 'log.quiet'));
      const sender = await openSender(conn, 'log.quiet');
      await sendable(sender);
      sender.send({ message_id: 'm-2', body: 'x' });
      await waitFor(() => got.length === 1, 'the message');
      await closeConnection(conn);
      expect(router.output()).not.to.contain(`MESSAGE (trace) [C${id}]`);
    });
  });
});

describe('operator logs: inter-router connections (real weftd)', function () {
  this.timeout(30000);
  let mesh: Mesh;
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && mesh) console.log(meshOutput(mesh));
    if (mesh) await stopMesh(mesh);
  });

  it('Opened on both sides with role, listener and connector; 22 links attached; lost when the neighbour goes', async () => {
    mesh = await startMesh([{ id: 'A' }, { id: 'B', connectTo: ['A'] }]);
    const a = mesh.get('A')!;
    const b = mesh.get('B')!;
    const onA = (await waitFor(() => /\[C(\d+)\] Connection Opened: dir=in host=127\.0\.0\.1:\d+ vhost= encrypted=no auth=ANONYMOUS user=anonymous container_id=B props=\{:product="weft", .*\} role=inter-router listener=inter-router\n/.exec(a.output()), 'A\'s Opened line'))!;
    const onB = (await waitFor(() => new RegExp(`\\[C(\\d+)\\] Connection Opened: dir=out host=127\\.0\\.0\\.1:${a.ports['inter-router']} vhost= encrypted=no auth=ANONYMOUS user=\\(null\\) container_id=A props=\\{.*\\} role=inter-router connector=to-A\\n`).exec(b.output()), 'B\'s Opened line'))!;
    const attachedOn = (out: string, id: string) => (out.match(new RegExp(`\\[C${id}\\]\\[L\\d+\\] Link attached: dir=(in|out) source=\\{<none> expire:link caps::"qd\\.router(-data)?"\\}`, 'g')) ?? []).length;
    await waitFor(() => attachedOn(a.output(), onA[1]) === 22 && attachedOn(b.output(), onB[1]) === 22, 'the 22 inter-router links attached on both sides');

    await a.stop();
    const closed = (await waitFor(() => new RegExp(`ROUTER_CORE \\(info\\) \\[C${onB[1]}\\] Connection Closed: (.*)\\n`).exec(b.output()), 'B\'s Closed line'))!;
    // A says why as it stops, unless it is gone before its close is written.
    expect(closed[1]).to.match(/^by=peer condition=amqp:connection:forced description="router shutting down"$|^by=socket/);
    expect((b.output().match(new RegExp(`\\[C${onB[1]}\\]\\[L\\d+\\] Link lost\\n`, 'g')) ?? []).length).to.equal(22);
  });
});

describe('operator logs: protocol trace of one connection (in process)', function () {
  this.timeout(15000);

  it('setProtocolTrace(true) writes that connection\'s frames at trace of SERVER whatever its level; false stops them', async () => {
    const file = path.join(tempDir(), 'router.log');
    const config = loadConfigText('router {\n    mode: standalone\n    id: Traced\n}\nlistener {\n    name: amqp\n    host: 127.0.0.1\n    port: 0\n}\n', 'traced.conf');
    const node = nodeFromConfig(config, new Logging([{ module: 'DEFAULT', enable: 'info+', includeTimestamp: false, outputFile: file }]));
    try {
      await node.listen(listenerSpec(config.listeners[0]));
      const conn = await connect(node.listeners.get('amqp')!.port, 'traced-client');
      await openReceiver(conn, 'before');
      const client = [...node.connections][0] as ClientConnection;
      client.setProtocolTrace(true);
      expect(client.connection.traceOn).to.equal(true);
      await openReceiver(conn, 'during');
      client.setProtocolTrace(false);
      await openReceiver(conn, 'after');
      await closeConnection(conn);
      const log = fs.readFileSync(file, 'utf8');
      expect(log).to.match(new RegExp(`SERVER \\(trace\\) \\[C${client.id}\\]:0 <- @attach\\(18\\) \\[name="[^"]+", handle=1, role=true, .*source=@source\\(40\\) \\[address="during"`));
      expect(log).to.match(new RegExp(`SERVER \\(trace\\) \\[C${client.id}\\]:0 -> @attach\\(18\\) .*address="during"`));
      expect(log).not.to.match(/SERVER \(trace\) .*address="(before|after)"/);
    } finally {
      await node.stop();
      node.logging.close();
    }
  });
});

/** A service the router's connector connects to (rhea listening); it can close the router's connection. */
async function startService() {
  const container = create_container({ id: 'log-service' });
  const opened: Connection[] = [];
  container.on('connection_open', (ctx: EventContext) => { opened.push(ctx.connection); });
  container.on('error', () => { /* the router's reconnects after a close are expected */ });
  container.on('disconnected', () => { /* idem */ });
  const server = container.listen({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    closeOne: (error: { condition: string; description: string }) => { opened.shift()?.close(error); },
    stop: () => { server.close(); for (const c of opened) c.close(); },
  };
}
