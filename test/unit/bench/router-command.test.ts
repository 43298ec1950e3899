import { expect } from 'chai';
import { formatCommandLine, routerArgv, splitCommandLine } from '../../../scripts/bench/router-command';
import { WEFTD_NODE_FLAGS } from '../../../router/cli/node-flags';

describe('bench router command', () => {
  it('runs this checkout\'s weftd with node and weftd\'s V8 flags for `weftd`', () => {
    expect(routerArgv('weftd', '/repo', '/usr/bin/node')).to.deep.equal(['/usr/bin/node', '--max-semi-space-size=4', '--expose-gc', '/repo/dist/router/cli/weftd.js']);
    expect(WEFTD_NODE_FLAGS).to.deep.equal(['--max-semi-space-size=4', '--expose-gc']);
  });

  it('splits any other command line like a shell would, without expanding anything', () => {
    expect(routerArgv('qdrouterd', '/repo', 'node')).to.deep.equal(['qdrouterd']);
    expect(splitCommandLine(`  taskset -c 1  "/opt/my router/bin" --name='a b' x\\ y $HOME `)).to.deep.equal(['taskset', '-c', '1', '/opt/my router/bin', '--name=a b', 'x y', '$HOME']);
    expect(splitCommandLine(`a "" b`)).to.deep.equal(['a', '', 'b']);
    expect(() => splitCommandLine('a "b')).to.throw(/unterminated/);
    expect(() => routerArgv('  ', '/repo', 'node')).to.throw(/empty/);
  });

  it('quotes words that need it when showing a command', () => {
    expect(formatCommandLine(['bash', '-c', 'sleep 1', "it's"])).to.equal(`bash -c 'sleep 1' 'it'\\''s'`);
  });
});
