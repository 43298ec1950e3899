import { expect } from 'chai';
import { parseLoadgenOutput } from '../../../scripts/bench/loadgen';
import { meshFigures, routerFigures, throughputRun } from '../../../scripts/bench/throughput';
import type { ReceiveResult, SendResult } from '../../../scripts/bench/types';

const send = (o: Partial<SendResult>): SendResult => ({
  role: 'send', sent: 1000, accepted: 0, rejected: 0, released: 0, modified: 0, other: 0, unsettled: 0,
  presettled: true, seconds: 1, cpu_seconds: 0.002, ended: 'count', ...o,
});
const receive = (o: Partial<ReceiveResult>): ReceiveResult => ({
  role: 'receive', received: 1000, seconds: 0.5, first_ms: 0, last_ms: 500, aborted: 0, cpu_seconds: 0.003, ended: 'count', ...o,
});

describe('bench throughput figures', () => {
  it('computes msg/s from the receiver and client CPU per message', () => {
    const run = throughputRun('direct', 'presettled', 1, { sender: send({}), receiver: receive({}) }, null);
    expect(run.msgPerSec).to.equal(2000);
    expect(run.dropped).to.equal(0);
    expect(run.senderCpuUsPerMsg).to.be.closeTo(2, 1e-9);
    expect(run.receiverCpuUsPerMsg).to.be.closeTo(3, 1e-9);
    expect(run).not.to.have.property('error');
  });

  it('counts presettled drops as sent − received', () => {
    const run = throughputRun('single', 'presettled', 1, { sender: send({}), receiver: receive({ received: 600, ended: 'idle' }) }, null);
    expect(run.dropped).to.equal(400);
  });

  it('counts unsettled drops as every message not accepted', () => {
    const sender = send({ presettled: false, accepted: 990, released: 7, rejected: 2, modified: 1 });
    const run = throughputRun('single', 'unsettled', 1, { sender, receiver: receive({ received: 990 }) }, null);
    expect(run.dropped).to.equal(10);
  });

  it('has no rate when fewer than two messages arrived, and keeps the error', () => {
    const run = throughputRun('single', 'unsettled', 2, { sender: null, receiver: null, error: 'router did not start' }, null);
    expect([run.msgPerSec, run.sent, run.received, run.error]).to.deep.equal([null, 0, 0, 'router did not start']);
  });

  it('charges the router its CPU across the run per message sent', () => {
    const before = { pid: 9, comm: 'node', cpuSeconds: 10, vmRssKb: 40000, vmHwmKb: 41000 };
    const after = { pid: 9, comm: 'node', cpuSeconds: 14.5, vmRssKb: 60000, vmHwmKb: 70000 };
    expect(routerFigures(before, after, 1_000_000)).to.deep.equal({ pid: 9, comm: 'node', cpuUsPerMsg: 4.5, peakRssKb: 70000, rssAfterKb: 60000 });
  });

  it('gives each router of a mesh its figures and sums their CPU, leaving out one that died', () => {
    const s = (pid: number, cpuSeconds: number, hwm: number) => ({ pid, comm: 'node', cpuSeconds, vmRssKb: hwm - 1000, vmHwmKb: hwm });
    const before = new Map([['R1', s(1, 1, 50000)], ['R2', s(2, 1, 50000)], ['R3', s(3, 1, 50000)]]);
    const after = new Map([['R1', s(1, 4, 70000)], ['R3', s(3, 3.5, 60000)]]);
    const { routers, routersCpuUsPerMsg } = meshFigures(['R1', 'R2', 'R3'], before, after, 1_000_000);
    expect(routers.map((r) => [r.id, r.cpuUsPerMsg, r.peakRssKb])).to.deep.equal([['R1', 3, 70000], ['R3', 2.5, 60000]]);
    expect(routersCpuUsPerMsg).to.equal(5.5);
  });

  it('reads the load generator\'s last JSON line after its progress lines', () => {
    const out = 'listening 40000\nattached\n{"role":"receive","received":3,"seconds":0.1,"first_ms":1,"last_ms":2,"aborted":0,"cpu_seconds":0,"ended":"count"}\n';
    expect(parseLoadgenOutput(out)).to.include({ role: 'receive', received: 3 });
    expect(parseLoadgenOutput('attached\n')).to.equal(null);
    expect(() => parseLoadgenOutput('{"role":"x"}')).to.throw(/not a load generator result/);
  });
});
