// Virtual time: events run in (time, insertion) order; nothing waits for the wall clock, so a
// minute of mesh life takes milliseconds.

interface Scheduled {
  at: number;
  seq: number;
  run: () => void;
}

export class VirtualClock {
  private nowMs = 0;
  private seq = 0;
  private readonly heap: Scheduled[] = [];

  get now(): number {
    return this.nowMs;
  }

  at(timeMs: number, run: () => void): void {
    this.push({ at: Math.max(timeMs, this.nowMs), seq: this.seq++, run });
  }

  after(delayMs: number, run: () => void): void {
    this.at(this.nowMs + delayMs, run);
  }

  /** Runs every event up to and including `timeMs`, then stops the clock there. */
  runUntil(timeMs: number): void {
    while (this.heap.length > 0 && this.heap[0].at <= timeMs) {
      const next = this.pop();
      this.nowMs = next.at;
      next.run();
    }
    this.nowMs = Math.max(this.nowMs, timeMs);
  }

  run(durationMs: number): void {
    this.runUntil(this.nowMs + durationMs);
  }

  private push(e: Scheduled): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Scheduled {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
