// Connection start-up between two engine Connections (server and client) over a duplex pair:
// SASL ANONYMOUS and PLAIN (accepted and refused), a bare AMQP header accepted when SASL is
// optional and refused when it is required (part 2 §2.2, part 5 §5.3).

import { expect } from 'chai';
import { AMQP_HEADER, SASL_HEADER } from '../../../router/amqp/frame-parser';
import { WireItem, framesOf } from '../../helpers/raw-amqp-client';
import { enginePair, rawPeer, settle, until } from './engine-pair';

const headers = (items: WireItem[]): string[] => items.filter((i) => i.kind === 'header').map((i) => (i as { bytes: Buffer }).bytes.toString('hex'));
const SASL = SASL_HEADER.toString('hex');
const AMQP = AMQP_HEADER.toString('hex');

describe('connection: SASL and protocol headers', () => {
  it('SASL ANONYMOUS: mechanisms, init, outcome ok, then AMQP headers and opens', async () => {
    const pair = enginePair({ sasl: { mechanisms: ['ANONYMOUS', 'PLAIN'] }, requireSasl: true }, { saslClient: {} });
    await until(() => pair.serverEvents.opened && pair.clientEvents.opened, 'both opens');
    expect(pair.server.user).to.equal('anonymous');
    expect(pair.serverEvents.sasl).to.deep.equal([{ ok: true, user: 'anonymous' }]);
    expect(pair.clientEvents.sasl.map((s) => s.ok)).to.deep.equal([true]);

    const server = pair.serverWrote();
    expect(headers(server)).to.deep.equal([SASL, AMQP]);
    const mechs = framesOf(server, 'sasl-mechanisms')[0];
    expect(mechs.type).to.equal(1);
    expect(mechs.fields.saslServerMechanisms).to.deep.equal(['ANONYMOUS', 'PLAIN']);
    expect(framesOf(server, 'sasl-outcome')[0].fields.code).to.equal(0);

    const client = pair.clientWrote();
    expect(headers(client)).to.deep.equal([SASL, AMQP]);
    const init = framesOf(client, 'sasl-init')[0];
    expect(init.type).to.equal(1);
    expect(init.fields.mechanism).to.equal('ANONYMOUS');
    expect(pair.server.remoteContainerId).to.equal('client');
    expect(pair.client.remoteContainerId).to.equal('server');
  });

  it('SASL PLAIN accepted: the server checks the credentials and knows the user', async () => {
    const seen: string[] = [];
    const checkPlain = (user: string, password: string) => { seen.push(`${user}:${password}`); return user === 'alice' && password === 's3cret'; };
    const pair = enginePair({ sasl: { mechanisms: ['PLAIN'], checkPlain }, requireSasl: true }, { saslClient: { username: 'alice', password: 's3cret' } });
    await until(() => pair.serverEvents.opened && pair.clientEvents.opened, 'both opens');
    expect(seen).to.deep.equal(['alice:s3cret']);
    expect(pair.server.user).to.equal('alice');
    const init = framesOf(pair.clientWrote(), 'sasl-init')[0];
    expect(init.fields.mechanism).to.equal('PLAIN');
    expect((init.fields.initialResponse as Buffer).toString('utf8')).to.equal('\0alice\0s3cret');
  });

  it('SASL PLAIN refused by checkPlain: outcome auth (1), no AMQP, both sides closed', async () => {
    const pair = enginePair({ sasl: { mechanisms: ['PLAIN'], checkPlain: () => false }, requireSasl: true }, { saslClient: { username: 'alice', password: 'wrong' } });
    await until(() => pair.serverEvents.closed && pair.clientEvents.closed, 'both sides closed');
    expect(pair.serverEvents.opened || pair.clientEvents.opened).to.equal(false);
    expect(framesOf(pair.serverWrote(), 'sasl-outcome')[0].fields.code).to.equal(1);
    expect(headers(pair.serverWrote())).to.deep.equal([SASL]);
    expect(framesOf(pair.serverWrote(), 'open')).to.have.length(0);
    expect(pair.serverEvents.sasl).to.deep.equal([{ ok: false, user: undefined }]);
    expect(pair.clientEvents.sasl.map((s) => s.ok)).to.deep.equal([false]);
    expect(pair.serverEvents.closed!.error?.condition).to.equal('amqp:unauthorized-access');
    expect(pair.clientEvents.closed!.error?.condition).to.equal('amqp:unauthorized-access');
    expect(pair.server.user).to.equal(undefined);
  });

  it('SASL with a mechanism the server does not offer: outcome auth, closed', async () => {
    const { peer, events } = rawPeer({ sasl: { mechanisms: ['PLAIN'] } });
    const code = await peer.sasl('ANONYMOUS', Buffer.from('x'));
    expect(code).to.equal(1);
    await peer.waitClosed(1500);
    expect(events.closed!.error?.condition).to.equal('amqp:unauthorized-access');
  });

  it('a bare AMQP header is accepted when SASL is offered but not required', async () => {
    const pair = enginePair({ sasl: { mechanisms: ['ANONYMOUS'] }, requireSasl: false }, {});
    await until(() => pair.serverEvents.opened && pair.clientEvents.opened, 'both opens');
    expect(headers(pair.serverWrote())).to.deep.equal([AMQP]);
    expect(pair.server.user).to.equal(undefined);
  });

  it('a bare AMQP header is accepted by a server without SASL', async () => {
    const pair = enginePair({}, {});
    await until(() => pair.serverEvents.opened && pair.clientEvents.opened, 'both opens');
    expect(headers(pair.serverWrote())).to.deep.equal([AMQP]);
  });

  it('a bare AMQP header is refused when SASL is required: the server answers with the SASL header and closes', async () => {
    const pair = enginePair({ sasl: { mechanisms: ['ANONYMOUS'] }, requireSasl: true }, {});
    await until(() => pair.serverEvents.closed && pair.clientEvents.closed, 'both sides closed');
    const server = pair.serverWrote();
    expect(headers(server)).to.deep.equal([SASL]);
    expect(framesOf(server)).to.have.length(0);
    expect(pair.serverEvents.opened).to.equal(false);
    expect(pair.serverEvents.closed!.error?.condition).to.equal('amqp:connection:framing-error');
  });

  it('a SASL header is refused by a server without SASL: it answers with the AMQP header and closes', async () => {
    const pair = enginePair({}, { saslClient: {} });
    await until(() => pair.serverEvents.closed && pair.clientEvents.closed, 'both sides closed');
    expect(headers(pair.serverWrote())).to.deep.equal([AMQP]);
    expect(pair.clientEvents.opened).to.equal(false);
  });

  it('an unknown protocol header is answered with the header the server wants, then closed', async () => {
    const { peer, events } = rawPeer({ sasl: { mechanisms: ['ANONYMOUS'] } });
    peer.write(Buffer.from('HTTP/1.1 GET /\r\n'));
    const h = await peer.expectHeader(1000);
    expect(h.toString('hex')).to.equal(SASL);
    await peer.waitClosed(1500);
    expect(events.closed!.error?.condition).to.equal('amqp:connection:framing-error');
    await settle();
    expect(peer.received.filter((i) => i.kind === 'frame')).to.have.length(0);
  });
});
