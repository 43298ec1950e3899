import { expect } from 'chai';
import { parseBenchArgs } from '../../../scripts/bench/options';

const known = ['direct', 'single', 'memory'];

describe('bench options', () => {
  it('defaults to every scenario, both modes, 3 runs of 1,000,000 messages of 100 bytes against weftd', () => {
    const o = parseBenchArgs([], known);
    expect(o.scenarios).to.deep.equal(known);
    expect(o.modes).to.deep.equal(['presettled', 'unsettled']);
    expect([o.count, o.size, o.runs, o.router]).to.deep.equal([1_000_000, 100, 3, 'weftd']);
    expect([o.seconds, o.memorySize, o.meshTimeoutS]).to.deep.equal([30, 10485760, 30]);
  });

  it('takes lists, counts and a router command line', () => {
    const o = parseBenchArgs(['--scenario', 'direct,single', '--mode', 'unsettled', '--count', '1e6', '--runs', '5', '--router', 'qdrouterd -d'], known);
    expect(o.scenarios).to.deep.equal(['direct', 'single']);
    expect(o.modes).to.deep.equal(['unsettled']);
    expect([o.count, o.runs, o.router]).to.deep.equal([1_000_000, 5, 'qdrouterd -d']);
    expect(parseBenchArgs(['--mesh-timeout', '5'], known).meshTimeoutS).to.equal(5);
  });

  it('refuses unknown scenarios and bad numbers, naming them', () => {
    expect(() => parseBenchArgs(['--scenario', 'direct,mesh'], known)).to.throw(/unknown mesh \(known: direct, single, memory\)/);
    expect(() => parseBenchArgs(['--count', '0'], known)).to.throw(/--count: expected an integer/);
    expect(() => parseBenchArgs(['--runs', 'x'], known)).to.throw(/--runs/);
    expect(() => parseBenchArgs(['--bogus'], known)).to.throw();
  });
});
