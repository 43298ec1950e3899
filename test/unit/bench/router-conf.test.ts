import { expect } from 'chai';
import { renderConf, standaloneRouterConf } from '../../../scripts/bench/router-conf';

describe('bench router configuration', () => {
  it('writes a standalone router in qdrouterd format', () => {
    expect(renderConf(standaloneRouterConf('bench1', 40123), 'test')).to.equal(
      [
        '# test',
        '',
        'router {',
        '    mode: standalone',
        '    id: bench1',
        '}',
        '',
        'listener {',
        '    host: 127.0.0.1',
        '    port: 40123',
        '    role: normal',
        '    saslMechanisms: ANONYMOUS',
        '    authenticatePeer: no',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('quotes values that are not bare words', () => {
    const text = renderConf([{ type: 'address', attributes: { prefix: 'a/b.c', note: 'two words', tag: 'x#y', on: true } }]);
    expect(text).to.contain('    prefix: a/b.c\n');
    expect(text).to.contain('    note: "two words"\n');
    expect(text).to.contain('    tag: "x#y"\n');
    expect(text).to.contain('    on: yes\n');
  });
});
