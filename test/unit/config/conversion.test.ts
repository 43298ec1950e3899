// Conversion of values to their schema type (reference §1.2).

import { expect } from 'chai';
import { convertValue, parseInteger } from '../../../router/config/convert-value';
import { load, lines, problems } from './helpers';

describe('value conversion by schema type (reference §1.2)', () => {
  describe('integer: Python int()', () => {
    const cases: Array<[string, number | undefined]> = [
      ['42', 42],
      ['  42  ', 42],
      ['+7', 7],
      ['-3', -3],
      ['007', 7],
      ['1_000', 1000],
      ['0x10', undefined],
      ['1e3', undefined],
      ['1.5', undefined],
      ['1__0', undefined],
      ['_1', undefined],
      ['', undefined],
      ['ten', undefined],
    ];
    for (const [text, expected] of cases) {
      it(`'${text}' → ${String(expected)}`, () => expect(parseInteger(text)).to.equal(expected));
    }

    it('converts an attribute and reports a bad one at its line', () => {
      expect(load(lines('listener {', '    maxFrameSize:  2048 ', '}')).listeners[0].maxFrameSize).to.equal(2048);
      expect(problems(lines('listener {', '    cost: cheap', '}'))).to.deep.equal(["test.conf:2: listener.cost: expected an integer, got 'cheap'"]);
    });

    it('accepts native integers and refuses fractions (JSON, YAML)', () => {
      expect(convertValue({ type: 'integer' }, 5)).to.deep.equal({ ok: true, value: 5 });
      expect(convertValue({ type: 'integer' }, 5.5)).to.deep.equal({ ok: false, message: 'expected an integer, got 5.5' });
      expect(convertValue({ type: 'integer' }, true).ok).to.equal(false);
    });
  });

  describe('boolean: yes/true/on, no/false/off, any case', () => {
    for (const word of ['yes', 'YES', 'true', 'True', 'on', 'On']) {
      it(`'${word}' is true`, () => expect(convertValue({ type: 'boolean' }, word)).to.deep.equal({ ok: true, value: true }));
    }
    for (const word of ['no', 'No', 'false', 'FALSE', 'off', 'oFF']) {
      it(`'${word}' is false`, () => expect(convertValue({ type: 'boolean' }, word)).to.deep.equal({ ok: true, value: false }));
    }
    it('refuses other words', () => {
      expect(problems(lines('listener {', '    authenticatePeer: maybe', '}'))).to.deep.equal([
        "test.conf:2: listener.authenticatePeer: expected a boolean (yes/no, true/false, on/off), got 'maybe'",
      ]);
    });
    it('uses the truthiness of non-strings', () => {
      expect(convertValue({ type: 'boolean' }, 0)).to.deep.equal({ ok: true, value: false });
      expect(convertValue({ type: 'boolean' }, 2)).to.deep.equal({ ok: true, value: true });
      expect(convertValue({ type: 'boolean' }, false)).to.deep.equal({ ok: true, value: false });
    });
  });

  describe('enum: a tag or an integer index', () => {
    it('accepts the tag', () => {
      expect(load(lines('router {', '    mode: edge', '}')).router.mode).to.equal('edge');
    });
    it('accepts an index into the tag list', () => {
      expect(load(lines('router {', '    mode: 1', '}')).router.mode).to.equal('interior');
      expect(load(lines('address {', '    prefix: a', '    distribution: 0', '}')).addresses[0].distribution).to.equal('multicast');
    });
    it('refuses another word, an index out of range, and a tag in the wrong case', () => {
      expect(problems(lines('router {', '    mode: 3', '}'))).to.deep.equal(["test.conf:2: router.mode: expected one of: standalone, interior, edge; got '3'"]);
      expect(problems(lines('router {', '    mode: Interior', '}'))).to.have.length(1);
    });
  });

  describe('string', () => {
    it('keeps strings; numbers and booleans of JSON become their text', () => {
      expect(convertValue({ type: 'string' }, 'x')).to.deep.equal({ ok: true, value: 'x' });
      expect(convertValue({ type: 'string' }, 5672)).to.deep.equal({ ok: true, value: '5672' });
      expect(convertValue({ type: 'string' }, 1, '1.0')).to.deep.equal({ ok: true, value: '1.0' });
      expect(convertValue({ type: 'string' }, { a: 1 }).ok).to.equal(false);
    });
  });

  describe('map', () => {
    it('must be a JSON object', () => {
      expect(problems('[["listener", {"openProperties": [1]}]]', 'json')).to.deep.equal(['test.json:1: listener.openProperties: expected a map (JSON object), got a list']);
    });
  });

  describe('ranges of the schema', () => {
    it('reports values out of range', () => {
      expect(problems(lines('listener {', '    cost: 0', '}', 'address {', '    prefix: a', '    priority: 10', '}'))).to.deep.equal([
        'test.conf:2: listener.cost: must be at least 1',
        'test.conf:6: address.priority: must be at most 9',
      ]);
    });

    it('checks log levels and message logging components', () => {
      expect(load(lines('log {', '    module: ROUTER', '    enable: debug, warning+', '}')).logs[0].enable).to.equal('debug, warning+');
      expect(problems(lines('log {', '    module: ROUTER', '    enable: loud', '}', 'listener {', '    messageLoggingComponents: to,bogus', '}'))).to.deep.equal([
        'test.conf:3: log.enable: expected none, default or a comma list of levels such as info+',
        'test.conf:6: listener.messageLoggingComponents: expected none, all or a comma list of message fields',
      ]);
    });
  });
});
