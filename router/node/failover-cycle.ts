// The URLs a connector goes through (master/slave brokers, seed 002): its own host:port, the
// configured alternates, and those its peer lists in the open's failover-server-list. One is
// current; when it fails or drops the next is tried at once, and only a whole cycle without a
// success makes the connector back off, so a live slave is reached without waiting.

export interface ConnectorUrl {
  host: string;
  port: number;
}

export function formatUrl(u: ConnectorUrl): string {
  return `amqp://${u.host.includes(':') ? `[${u.host}]` : u.host}:${u.port}`;
}

function same(a: ConnectorUrl, b: ConnectorUrl): boolean { return a.host === b.host && a.port === b.port; }

export class FailoverCycle {
  private learned: ConnectorUrl[] = [];
  private list: ConnectorUrl[];
  private index = 0;
  /** URLs tried without success since the last success or the last back-off. */
  private failures = 0;
  private tried = new Set<number>();

  constructor(private readonly configured: ConnectorUrl[], private readonly randomize = false, private readonly random: () => number = Math.random) {
    if (configured.length === 0) throw new Error('a connector needs at least one URL');
    this.list = dedupe(configured);
  }

  get current(): ConnectorUrl { return this.list[this.index]; }
  /** Every URL, configured ones first. */
  get urls(): readonly ConnectorUrl[] { return this.list; }

  /** The peer's failover-server-list replaces what an earlier peer said; the current URL stays current. */
  learn(urls: ConnectorUrl[]): void {
    const current = this.current;
    this.learned = urls;
    this.list = dedupe([...this.configured, ...this.learned]);
    const i = this.list.findIndex((u) => same(u, current));
    this.index = i >= 0 ? i : 0;
    this.tried.clear();
  }

  /** A connection on the current URL got as far as the peer's open. */
  succeeded(): void {
    this.failures = 0;
    this.tried.clear();
  }

  /**
   * The current URL failed or its connection dropped: the next one becomes current. True when
   * every URL has failed since the last success or back-off: the caller waits before going on.
   */
  advance(): boolean {
    this.tried.add(this.index);
    const n = this.list.length;
    const cycleDone = ++this.failures >= n;
    if (cycleDone) { this.failures = 0; this.tried.clear(); }
    if (n > 1) this.index = this.randomize ? this.randomOther() : (this.index + 1) % n;
    return cycleDone;
  }

  /** A URL other than the current one, preferring those not yet tried in this cycle. */
  private randomOther(): number {
    const all = this.list.map((_, i) => i).filter((i) => i !== this.index);
    const fresh = all.filter((i) => !this.tried.has(i));
    const pool = fresh.length > 0 ? fresh : all;
    return pool[Math.floor(this.random() * pool.length)];
  }
}

function dedupe(urls: ConnectorUrl[]): ConnectorUrl[] {
  const out: ConnectorUrl[] = [];
  for (const u of urls) if (!out.some((o) => same(o, u))) out.push(u);
  return out;
}
