// /metrics content without a router: qdrouterd's series with their types, values read at
// scrape time, and the per-address series bounded by the address limit.

import { expect } from 'chai';
import { RouterMetrics } from '../../../router/observe/metrics';
import { addressSeries, isInternalKey } from '../../../router/observe/address-series';
import type { AddressCounters, MetricsSource, RouterCounts } from '../../../router/observe/router-view';
import { parsePrometheusText, sampleValue } from '../../helpers/prometheus-text';
import { QDR_METRICS } from '../../helpers/qdr-metrics';

function address(key: string, deliveriesIn: number, deliveriesOut = deliveriesIn, undelivered = 0, localConsumers = 1): AddressCounters {
  return { key, deliveriesIn, deliveriesOut, undelivered, localConsumers };
}

class FakeSource implements MetricsSource {
  stats: Record<string, number> = {};
  counts_: RouterCounts = { connections: 0, links: 0, addresses: 0, routers: 0, linkRoutes: 0, autoLinks: 0 };
  list: AddressCounters[] = [];
  addressReads = 0;
  stat(name: string): number { return this.stats[name] ?? 0; }
  counts(): RouterCounts { return this.counts_; }
  addresses(): Iterable<AddressCounters> { this.addressReads++; return this.list; }
}

describe('observe/metrics', () => {
  it("serves every qdrouterd router metric under its name and type, in qdrouterd's order", async () => {
    const families = parsePrometheusText(await new RouterMetrics(new FakeSource()).scrape());
    const qdr = [...families.values()].filter((f) => f.name.startsWith('qdr_'));
    expect(qdr.map((f) => [f.name, f.type])).to.deep.equal(QDR_METRICS);
    for (const f of qdr) expect(f.samples, f.name).to.deep.equal([{ name: f.name, labels: {}, value: 0 }]);
  });

  it('reads the values at each scrape (counters that do not exist yet are 0)', async () => {
    const source = new FakeSource();
    const metrics = new RouterMetrics(source);
    source.stats = { deliveriesIngress: 7, acceptedDeliveries: 5, deliveriesStuck: 2 };
    source.counts_ = { connections: 3, links: 4, addresses: 5, routers: 2, linkRoutes: 1, autoLinks: 0 };
    let m = parsePrometheusText(await metrics.scrape());
    expect(sampleValue(m, 'qdr_deliveries_ingress_total')).to.equal(7);
    expect(sampleValue(m, 'qdr_accepted_deliveries_total')).to.equal(5);
    expect(sampleValue(m, 'qdr_deliveries_stuck_total')).to.equal(2);
    expect(sampleValue(m, 'qdr_deliveries_transit_total')).to.equal(0);
    expect(sampleValue(m, 'qdr_connections_total')).to.equal(3);
    expect(sampleValue(m, 'qdr_routers_total')).to.equal(2);
    source.stats.deliveriesIngress = 9;
    m = parsePrometheusText(await metrics.scrape());
    expect(sampleValue(m, 'qdr_deliveries_ingress_total')).to.equal(9);
  });

  it('labels each address with its address and phase, and reads the addresses once per scrape', async () => {
    const source = new FakeSource();
    source.list = [address('M0queue', 4, 3, 1, 2), address('M1queue', 2, 2, 0, 1)];
    const metrics = new RouterMetrics(source);
    const m = parsePrometheusText(await metrics.scrape());
    expect(source.addressReads).to.equal(1);
    expect(sampleValue(m, 'weft_address_deliveries_ingress_total', { address: 'queue', phase: '0' })).to.equal(4);
    expect(sampleValue(m, 'weft_address_deliveries_egress_total', { address: 'queue', phase: '0' })).to.equal(3);
    expect(sampleValue(m, 'weft_address_undelivered', { address: 'queue', phase: '0' })).to.equal(1);
    expect(sampleValue(m, 'weft_address_local_consumers', { address: 'queue', phase: '0' })).to.equal(2);
    expect(sampleValue(m, 'weft_address_deliveries_ingress_total', { address: 'queue', phase: '1' })).to.equal(2);
    expect(m.get('weft_address_deliveries_ingress_total')!.type).to.equal('counter');
    expect(m.get('weft_address_undelivered')!.type).to.equal('gauge');
  });

  it('drops the series of an address that is gone', async () => {
    const source = new FakeSource();
    source.list = [address('M0gone', 1)];
    const metrics = new RouterMetrics(source);
    await metrics.scrape();
    source.list = [];
    const m = parsePrometheusText(await metrics.scrape());
    expect(m.get('weft_address_deliveries_ingress_total')!.samples.map((s) => s.labels.address)).to.deep.equal(['_other']);
  });

  it('escapes label values', async () => {
    const source = new FakeSource();
    source.list = [address('M0a"b\\c\nd', 1)];
    const m = parsePrometheusText(await new RouterMetrics(source).scrape());
    expect(sampleValue(m, 'weft_address_deliveries_ingress_total', { address: 'a"b\\c\nd' })).to.equal(1);
  });
});

describe('observe/address-series', () => {
  it('keeps the busiest `limit` addresses and sums the rest under _other', () => {
    const list = Array.from({ length: 12 }, (_, i) => address(`M0a${i}`, i + 1, i + 1, i % 2, 1));
    const rows = addressSeries(list, 5);
    expect(rows.map((r) => r.address)).to.deep.equal(['a11', 'a10', 'a9', 'a8', 'a7', '_other']);
    expect(rows[5]).to.deep.equal({ address: '_other', phase: '', deliveriesIn: 28, deliveriesOut: 28, undelivered: 3, localConsumers: 7 });
  });

  it('always has an _other row, and a limit of 0 sums everything', () => {
    expect(addressSeries([], 100)).to.deep.equal([{ address: '_other', phase: '', deliveriesIn: 0, deliveriesOut: 0, undelivered: 0, localConsumers: 0 }]);
    const rows = addressSeries([address('M0a', 1), address('M0b', 2)], 0);
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ deliveriesIn: 3 });
  });

  it('breaks ties by key, so a scrape is stable', () => {
    const rows = addressSeries([address('M0b', 1), address('M0c', 1), address('M0a', 1)], 2);
    expect(rows.map((r) => r.address)).to.deep.equal(['a', 'b', '_other']);
  });

  it('gives router-internal keys no series at all', () => {
    for (const key of ['Ltemp.x', 'Lqdrouter', 'Tqdrouter', 'RRouterB', 'Aarea', 'Hedge1', 'Cprefix', 'Dprefix', 'Epat', 'Fpat', 'M0$management']) {
      expect(isInternalKey(key), key).to.equal(true);
    }
    expect(isInternalKey('M0queue')).to.equal(false);
    expect(isInternalKey('MFqueue')).to.equal(false);
    const rows = addressSeries([address('Ltemp.x', 50), address('RRouterB', 50), address('M0q', 1)], 5);
    expect(rows.map((r) => [r.address, r.deliveriesIn])).to.deep.equal([['q', 1], ['_other', 0]]);
  });
});
