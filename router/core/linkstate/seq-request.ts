// Something we ask another router for by sequence number (its link state with an LSR, its
// addresses with a MAR) until an answer at least that new arrives. qdrouterd asks once and
// relies on the next RA (4 s in flux, 30 s when stable) when a request or its answer is lost,
// or was dropped by a router whose routes were not ready; we ask again a few times, one retry
// interval apart. Extra requests are harmless to any peer: each is answered like the first.

/** Time between two requests for the same thing. */
export const REQUEST_RETRY_MS = 1000;
/** Requests per wanted sequence before waiting for an RA to say it again. */
export const REQUEST_ATTEMPTS = 4;

export class SeqRequest {
  /** The sequence number we want at least. */
  wanted = 0;
  private pending = false;
  private lastAskedMs: number | undefined;
  private attempts = 0;

  /** We want `seq` or newer: asked for at the next chance, or only at the next retry. */
  want(seq: number, askSoon = true): void {
    if (seq > this.wanted) {
      this.wanted = seq;
      this.attempts = 0;
    }
    if (askSoon) this.pending = true;
  }

  asked(nowMs: number): void {
    this.pending = false;
    this.lastAskedMs = nowMs;
    this.attempts++;
  }

  /** Whether to ask now, holding `have`. */
  due(have: number, nowMs: number): boolean {
    if (this.pending) return true;
    if (have >= this.wanted || this.lastAskedMs === undefined) return false;
    return this.attempts < REQUEST_ATTEMPTS && nowMs - this.lastAskedMs >= REQUEST_RETRY_MS;
  }
}
