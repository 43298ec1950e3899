import { expect } from 'chai';
import { Message, message as rheaMessage } from 'rhea';
import { bodyText, detailsJson, upperCased } from '../../../router/cli/commands/message-text';

describe('cli/message-text', () => {
  it('shows string, binary, data-section and structured bodies', () => {
    expect(bodyText('hello')).to.equal('hello');
    expect(bodyText(Buffer.from([0x61, 0x00]))).to.equal('b"a\\x00"');
    expect(bodyText(rheaMessage.data_section(Buffer.from('abc')))).to.equal('b"abc"');
    expect(bodyText(rheaMessage.data_section(Buffer.alloc(1000)))).to.equal('<binary, 1000 bytes>');
    expect(bodyText({ a: [1, 2] })).to.equal('{"a":[1,2]}');
  });

  it('shows properties and annotations as JSON, including the trace', () => {
    const json = detailsJson({
      message_id: 7, to: 'q', reply_to: 'r', body: 'x', user_id: Buffer.from('bob'), // rhea decodes user-id as a Buffer
      message_annotations: { 'x-opt-qd.trace': ['0/Router.A', '0/Router.B'] },
    } as unknown as Message);
    expect(JSON.parse(json)).to.deep.equal({
      properties: { message_id: 7, user_id: 'b"bob"', to: 'q', reply_to: 'r' },
      message_annotations: { 'x-opt-qd.trace': ['0/Router.A', '0/Router.B'] },
    });
  });

  it('upper-cases replies of any body kind it can', () => {
    expect(upperCased('ping')).to.equal('PING');
    expect(upperCased(Buffer.from('ab'))).to.deep.equal(Buffer.from('AB'));
    expect((upperCased(rheaMessage.data_section(Buffer.from('ab'))) as { content: Buffer }).content).to.deep.equal(Buffer.from('AB'));
    expect(upperCased(42)).to.equal(42);
  });
});
