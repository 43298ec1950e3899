// The HTTP listener of a real weftd (`listener { http: yes }`): /metrics parsed as Prometheus
// text (qdrouterd's series and types, counters that follow deliveries sent with rhea, bounded
// per-address series), /healthz, /readyz (standalone, and a mesh converging), files under
// httpRootDir, 404s, AMQP over WebSocket with rhea and ws, and requests that are not HTTP.

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Connection, Sender } from 'rhea';
import { WebSocket } from 'ws';
import { freePort } from '../../scripts/bench/ports';
import { RouterProcess, startRouter, standaloneConf, tempDir, waitFor } from '../helpers/router-process';
import { closeConnection, collectMessages, openReceiver, openSender, rheaConnect, sendable } from '../helpers/rhea-client';
import { rheaWebSocketConnect } from '../helpers/rhea-websocket';
import { httpGet } from '../helpers/http-get';
import { Family, parsePrometheusText, sampleValue } from '../helpers/prometheus-text';
import { QDR_METRICS } from '../helpers/qdr-metrics';

const httpListener = (name: string, extra = '') => `listener {\n    name: ${name}\n    host: 127.0.0.1\n    port: 0\n    http: yes\n${extra}}\n`;

async function scrape(port: number): Promise<Map<string, Family>> {
  const answer = await httpGet(port, '/metrics');
  expect(answer.status).to.equal(200);
  expect(answer.headers['content-type']).to.match(/^text\/plain/);
  return parsePrometheusText(answer.body);
}

/** Sends `n` messages to `address` and waits until all are accepted. */
async function sendAccepted(s: Sender, n: number): Promise<void> {
  let accepted = 0;
  s.on('accepted', () => { accepted++; });
  await sendable(s);
  for (let i = 0; i < n; i++) s.send({ body: `m${i}` });
  await waitFor(() => accepted === n, `${n} accepted on ${s.target?.address}`);
}

describe('HTTP listener', function () {
  this.timeout(30000);
  const conns: Connection[] = [];

  async function track(c: Promise<Connection>): Promise<Connection> {
    const conn = await c;
    conns.push(conn);
    return conn;
  }

  afterEach(async () => { await Promise.all(conns.splice(0).map((c) => closeConnection(c))); });

  describe('on a standalone router', () => {
    let router: RouterProcess;
    let base: string;
    let web: number;

    before(async () => {
      base = tempDir('weft-http-root-');
      const root = path.join(base, 'console');
      fs.mkdirSync(root);
      fs.writeFileSync(path.join(root, 'index.html'), '<h1>console</h1>\n');
      fs.writeFileSync(path.join(root, 'app.css'), 'h1 {}\n');
      fs.writeFileSync(path.join(base, 'secret.txt'), 'secret\n');
      router = await startRouter(standaloneConf(
        httpListener('web') +
        httpListener('console', `    httpRootDir: ${root}\n`) +
        httpListener('bare', '    metrics: no\n    healthz: no\n    websockets: no\n'),
      ));
      web = router.ports.web;
    });
    afterEach(function () { if (this.currentTest?.state === 'failed') console.log(router.output()); });
    after(async () => {
      await router.stop();
      fs.rmSync(base, { recursive: true, force: true });
    });

    it("serves qdrouterd's router metrics under their names and types", async () => {
      const families = await scrape(web);
      for (const [name, type] of QDR_METRICS) {
        expect(families.get(name)?.type, name).to.equal(type);
        const samples = families.get(name)!.samples;
        expect(samples, name).to.have.length(1);
        expect(Number.isInteger(samples[0].value), name).to.equal(true);
      }
    });

    it('counts deliveries sent through the router, router-wide and per address', async () => {
      const before = await scrape(web);
      const c = await track(rheaConnect(router.port));
      const got = collectMessages(await openReceiver(c, { source: 'metrics.q', credit_window: 20 }));
      await sendAccepted(await openSender(c, 'metrics.q'), 10);
      await waitFor(() => got.length === 10, '10 received');
      const after = await scrape(web);
      const delta = (name: string) => sampleValue(after, name)! - sampleValue(before, name)!;
      expect(delta('qdr_deliveries_ingress_total')).to.equal(10);
      expect(delta('qdr_deliveries_egress_total')).to.equal(10);
      expect(delta('qdr_accepted_deliveries_total')).to.equal(10);
      expect(sampleValue(after, 'qdr_connections_total')).to.be.at.least(1);
      expect(sampleValue(after, 'qdr_links_total')).to.be.at.least(2);
      expect(sampleValue(after, 'qdr_addresses_total')).to.be.at.least(1);
      const q = { address: 'metrics.q', phase: '0' };
      expect(sampleValue(after, 'weft_address_deliveries_ingress_total', q)).to.equal(10);
      expect(sampleValue(after, 'weft_address_deliveries_egress_total', q)).to.equal(10);
      expect(sampleValue(after, 'weft_address_local_consumers', q)).to.equal(1);
      expect(sampleValue(after, 'weft_address_undelivered', q)).to.equal(0);
    });

    it('shows deliveries waiting for credit as the undelivered backlog of their address', async () => {
      const c = await track(rheaConnect(router.port));
      const receiver = await openReceiver(c, { source: 'metrics.backlog', credit_window: 0 });
      const got = collectMessages(receiver);
      const s = await openSender(c, { target: 'metrics.backlog' });
      await sendable(s);
      for (let i = 0; i < 3; i++) s.send({ body: `b${i}` });
      const backlog = { address: 'metrics.backlog', phase: '0' };
      await waitFor(async () => sampleValue(await scrape(web), 'weft_address_undelivered', backlog) === 3, 'a backlog of 3');
      receiver.add_credit(3);
      await waitFor(() => got.length === 3, 'the backlog delivered');
      expect(sampleValue(await scrape(web), 'weft_address_undelivered', backlog)).to.equal(0);
    });

    it('/healthz answers OK, and /readyz too once the listeners are up', async () => {
      const health = await httpGet(web, '/healthz');
      expect([health.status, health.body, health.headers['content-length']]).to.deep.equal([200, 'OK\n', '3']);
      const ready = await httpGet(web, '/readyz');
      expect([ready.status, ready.body]).to.deep.equal([200, 'OK\n']);
    });

    it('answers 404 for other paths, and for endpoints a listener has turned off', async () => {
      for (const p of ['/', '/nope', '/metrics/x', '/healthz.html']) expect((await httpGet(web, p)).status, p).to.equal(404);
      for (const p of ['/metrics', '/healthz', '/readyz']) expect((await httpGet(router.ports.bare, p)).status, p).to.equal(404);
      expect((await httpGet(web, '/metrics', { method: 'POST' })).status).to.equal(405);
    });

    it('serves files under httpRootDir, and nothing outside it', async () => {
      const console_ = router.ports.console;
      expect(await httpGet(console_, '/')).to.include({ status: 200, body: '<h1>console</h1>\n' });
      const css = await httpGet(console_, '/app.css');
      expect([css.status, css.headers['content-type'], css.body]).to.deep.equal([200, 'text/css; charset=utf-8', 'h1 {}\n']);
      for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/missing.js']) {
        const answer = await httpGet(console_, p);
        expect(answer.status, p).to.equal(404);
        expect(answer.body, p).not.to.contain('secret');
      }
      expect((await httpGet(console_, '/metrics')).status).to.equal(200);
    });

    it('carries AMQP over WebSocket (subprotocols amqp and binary) to and from ordinary clients', async () => {
      const overWs = await track(rheaWebSocketConnect(web, ['amqp']));
      const overTcp = await track(rheaConnect(router.port));
      const wsGot = collectMessages(await openReceiver(overWs, 'ws.in'));
      const tcpGot = collectMessages(await openReceiver(overTcp, 'ws.out'));
      await sendAccepted(await openSender(overWs, 'ws.out'), 5);
      await sendAccepted(await openSender(overTcp, 'ws.in'), 5);
      await waitFor(() => wsGot.length === 5 && tcpGot.length === 5, 'messages both ways');
      expect(tcpGot.map((x) => x.message!.body)).to.deep.equal(['m0', 'm1', 'm2', 'm3', 'm4']);

      const binary = await track(rheaWebSocketConnect(web, ['binary']));
      const got = collectMessages(await openReceiver(binary, 'ws.binary'));
      await sendAccepted(await openSender(binary, 'ws.binary'), 3);
      await waitFor(() => got.length === 3, 'messages over the binary subprotocol');
    });

    it('counts a WebSocket connection as a connection, and forgets it when the client goes away', async () => {
      const count = async () => sampleValue(await scrape(web), 'qdr_connections_total')!;
      const before = await count();
      const ws = await rheaWebSocketConnect(web);
      expect(await count()).to.equal(before + 1);
      (ws as unknown as { socket: { end(): void } }).socket.end(); // the WebSocket closes with no AMQP close
      await waitFor(async () => (await count()) === before, 'the connection forgotten');
    });

    it('refuses WebSocket upgrades without an AMQP subprotocol, or on a listener with websockets: no', async () => {
      const refused = (port: number, protocols: string[]) => new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}`, protocols);
        ws.on('open', () => { ws.close(); resolve('open'); });
        ws.on('unexpected-response', (_req, res) => { resolve(String(res.statusCode)); ws.terminate(); });
        ws.on('error', (err) => resolve(err.message));
      });
      expect(await refused(web, ['mqtt'])).to.equal('400');
      expect(await refused(web, [])).to.equal('400');
      expect(await refused(router.ports.bare, ['amqp'])).to.equal('400');
    });

    it('survives requests that are not HTTP, and WebSocket peers that do not speak AMQP', async () => {
      const raw = (port: number, bytes: Buffer | string) => new Promise<string>((resolve) => {
        const socket = net.connect({ port, host: '127.0.0.1' });
        let answer = '';
        socket.on('connect', () => socket.write(bytes));
        socket.on('data', (b) => { answer += b.toString('latin1'); });
        socket.on('error', () => resolve(answer));
        socket.on('close', () => resolve(answer));
        setTimeout(() => socket.destroy(), 3000).unref();
      });
      expect(await raw(web, 'garbage\r\n\r\n')).to.match(/^HTTP\/1\.1 400/);
      expect(await raw(web, Buffer.from('414d515000010000', 'hex'))).to.match(/^(HTTP\/1\.1 400 |$)/);
      expect(await raw(web, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)))).to.match(/^(HTTP\/1\.1 400 |$)/);
      expect(await raw(web, `GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`)).to.match(/^HTTP\/1\.1 400/);

      // A WebSocket that sends junk where AMQP should be: the engine closes it.
      const junk = new WebSocket(`ws://127.0.0.1:${web}`, ['amqp']);
      await new Promise((resolve, reject) => { junk.on('open', resolve); junk.on('error', reject); });
      const closed = new Promise((resolve) => junk.on('close', resolve));
      junk.send(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'));
      await closed;

      expect((await httpGet(web, '/healthz')).status).to.equal(200);
      const c = await track(rheaConnect(router.port));
      const got = collectMessages(await openReceiver(c, 'still.working'));
      await sendAccepted(await openSender(c, 'still.working'), 1);
      await waitFor(() => got.length === 1, 'a message after the bad input');
    });
  });

  describe('with many addresses', () => {
    let router: RouterProcess;
    before(async () => {
      router = await startRouter(`router {\n    mode: standalone\n    id: Many\n    metricsAddressLimit: 5\n}\nlistener {\n    name: amqp\n    host: 127.0.0.1\n    port: 0\n}\n${httpListener('web')}`);
    });
    afterEach(function () { if (this.currentTest?.state === 'failed') console.log(router.output()); });
    after(async () => { await router.stop(); });

    it('labels the busiest metricsAddressLimit addresses and sums the rest under _other', async () => {
      const c = await track(rheaConnect(router.port));
      for (let i = 0; i < 12; i++) {
        const got = collectMessages(await openReceiver(c, `many.${i}`));
        await sendAccepted(await openSender(c, `many.${i}`), i + 1);
        await waitFor(() => got.length === i + 1, `${i + 1} on many.${i}`);
      }
      const families = await scrape(router.ports.web);
      for (const name of ['weft_address_deliveries_ingress_total', 'weft_address_deliveries_egress_total', 'weft_address_undelivered', 'weft_address_local_consumers']) {
        expect(families.get(name)!.samples.map((s) => s.labels.address), name).to.have.members(['many.11', 'many.10', 'many.9', 'many.8', 'many.7', '_other']);
      }
      expect(sampleValue(families, 'weft_address_deliveries_ingress_total', { address: 'many.11' })).to.equal(12);
      // many.0 … many.6: 1 + 2 + … + 7 deliveries, 7 consumers.
      expect(sampleValue(families, 'weft_address_deliveries_ingress_total', { address: '_other' })).to.equal(28);
      expect(sampleValue(families, 'weft_address_deliveries_egress_total', { address: '_other' })).to.equal(28);
      expect(sampleValue(families, 'weft_address_local_consumers', { address: '_other' })).to.equal(7);
    });
  });

  describe('/readyz on an interior router', () => {
    const routers: RouterProcess[] = [];
    afterEach(function () { if (this.currentTest?.state === 'failed') for (const r of routers) console.log(r.output()); });
    after(async () => { await Promise.all(routers.map((r) => r.stop())); });

    const interior = (id: string, body: string) => `router {\n    mode: interior\n    id: ${id}\n    helloIntervalSeconds: 1\n    helloMaxAgeSeconds: 3\n}\n${body}`;

    it('is 503 while a connector points at a router not started yet, 200 once the mesh has converged', async () => {
      const port = await freePort();
      const a = await startRouter(interior('ReadyA', `${httpListener('web')}connector {\n    name: to-B\n    host: 127.0.0.1\n    port: ${port}\n    role: inter-router\n    initialReconnectDelay: 50\n    maxReconnectDelay: 200\n}\n`));
      routers.push(a);
      const notReady = await httpGet(a.ports.web, '/readyz');
      expect(notReady.status).to.equal(503);
      expect(notReady.body).to.contain(`connector to-B: not connected to 127.0.0.1:${port}`);
      expect((await httpGet(a.ports.web, '/healthz')).status).to.equal(200);

      // B, and C behind B: A is ready only with a route to C as well.
      const b = await startRouter(interior('ReadyB', `listener {\n    name: ir\n    host: 127.0.0.1\n    port: ${port}\n    role: inter-router\n}\nlistener {\n    name: ir2\n    host: 127.0.0.1\n    port: 0\n    role: inter-router\n}\n`));
      routers.push(b);
      const c = await startRouter(interior('ReadyC', `listener {\n    name: amqp\n    host: 127.0.0.1\n    port: 0\n}\nconnector {\n    name: to-B\n    host: 127.0.0.1\n    port: ${b.ports.ir2}\n    role: inter-router\n}\n`));
      routers.push(c);
      // Ready as soon as B is a neighbour and every router A knows has a route; C may join later.
      await waitFor(async () => (await httpGet(a.ports.web, '/readyz')).status === 200, 'A ready', 15000);
      await waitFor(async () => sampleValue(await scrape(a.ports.web), 'qdr_routers_total') === 2, 'A to know B and C', 15000);
      await waitFor(async () => (await httpGet(a.ports.web, '/readyz')).status === 200, 'A ready with a route to C', 15000);
      expect(sampleValue(await scrape(a.ports.web), 'qdr_connections_total')).to.equal(1);

      await c.stop();
      await b.stop();
      await waitFor(async () => (await httpGet(a.ports.web, '/readyz')).status === 503, 'A not ready after B stopped', 10000);
    });
  });
});
