import { expect } from 'chai';
import { descendantsOf, parseProcNetTcp, parseProcStat, parseProcStatus } from '../../../scripts/bench/proc-stats';

describe('bench /proc parsing', () => {
  it('reads ppid, utime and stime from /proc/PID/stat', () => {
    const line = '4242 (node) S 4200 4242 4200 0 -1 4194560 9186 0 0 0 1234 567 0 0 20 0 11 0 53 1181696000 12345 18446744073709551615\n';
    expect(parseProcStat(line)).to.deep.equal({ pid: 4242, comm: 'node', state: 'S', ppid: 4200, utimeTicks: 1234, stimeTicks: 567 });
  });

  it('counts fields from the last parenthesis, whatever the command name holds', () => {
    const line = '77 (my (odd) router 1) R 1 77 77 0 -1 0 0 0 0 0 10 20 0 0 20 0 1 0 5 100 10 0';
    const stat = parseProcStat(line);
    expect(stat.comm).to.equal('my (odd) router 1');
    expect([stat.state, stat.ppid, stat.utimeTicks, stat.stimeTicks]).to.deep.equal(['R', 1, 10, 20]);
  });

  it('rejects text that is not a stat line', () => {
    expect(() => parseProcStat('garbage')).to.throw(/not a \/proc\/PID\/stat line/);
  });

  it('reads VmRSS and VmHWM from /proc/PID/status', () => {
    const status = 'Name:\tnode\nVmPeak:\t  999 kB\nVmHWM:\t   52340 kB\nVmRSS:\t   48120 kB\nThreads:\t11\n';
    expect(parseProcStatus(status)).to.deep.equal({ vmRssKb: 48120, vmHwmKb: 52340 });
    expect(() => parseProcStatus('Name:\tx\n')).to.throw(/VmRSS/);
  });

  it('finds listening sockets in /proc/net/tcp', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1628 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31337 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:9C40 0100007F:1628 01 00000000:00000000 00:00000000 00000000     0        0 31338 1 0000000000000000 20 4 30 10 -1',
      '',
    ].join('\n');
    expect(parseProcNetTcp(table)).to.deep.equal([
      { localPort: 5672, state: '0A', inode: 31337 },
      { localPort: 40000, state: '01', inode: 31338 },
    ]);
  });

  it('lists descendants nearest first', () => {
    //   10 ── 11 ── 13
    //    └─── 12
    //   20 (unrelated)
    const parents = new Map([[11, 10], [12, 10], [13, 11], [20, 1], [10, 1]]);
    expect(descendantsOf(10, parents)).to.deep.equal([11, 12, 13]);
    expect(descendantsOf(13, parents)).to.deep.equal([]);
  });
});
