// A drift-free period for work done on the engine tick (HELLO, mobile sync). The tick comes
// from a host timer that can fire a millisecond early or late; comparing "now - last >= period"
// would then skip a whole period now and then (two seconds between HELLOs, close to
// helloMaxAge). Instead the next due time advances by exactly one period, and re-anchors on
// `now` only after a stall longer than a period.

export class Periodic {
  private nextMs: number | undefined;

  constructor(private readonly periodMs: number) {}

  /** True (and schedules the next one) when the period is due at `nowMs`. */
  due(nowMs: number): boolean {
    if (this.nextMs !== undefined && nowMs < this.nextMs) return false;
    const late = this.nextMs === undefined || nowMs - this.nextMs >= this.periodMs;
    this.nextMs = late ? nowMs + this.periodMs : this.nextMs! + this.periodMs;
    return true;
  }
}
