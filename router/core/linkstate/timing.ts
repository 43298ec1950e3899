// The engine's timers (reference §3.10), in milliseconds because the core is clocked with
// `tick(nowMs)`. The configuration speaks seconds (`router.helloIntervalSeconds` …).

export interface LinkStateTimers {
  /** HELLO period. */
  helloIntervalMs: number;
  /** A neighbour not heard from (two-way) for longer is lost; `seen` entries expire too. */
  helloMaxAgeMs: number;
  /** RA period when the topology is stable. */
  raIntervalMs: number;
  /** RA period in flux mode, which lasts 2 × this after the last topology change. */
  raIntervalFluxMs: number;
  /** A remote link state not refreshed by an RA or LSU for longer is cleared. */
  remoteLsMaxAgeMs: number;
  /** How often local address changes are batched into a differential MAU. */
  mobileSyncIntervalMs: number;
}

export const DEFAULT_TIMERS: Readonly<LinkStateTimers> = {
  helloIntervalMs: 1000,
  helloMaxAgeMs: 3000,
  raIntervalMs: 30_000,
  raIntervalFluxMs: 4000,
  remoteLsMaxAgeMs: 60_000,
  mobileSyncIntervalMs: 1000,
};

/** The `router` entity's attributes that set the timers (reference §1.3). */
export interface RouterTimerSettings {
  helloIntervalSeconds?: number;
  helloMaxAgeSeconds?: number;
  raIntervalSeconds?: number;
  raIntervalFluxSeconds?: number;
  remoteLsMaxAgeSeconds?: number;
}

export function timersFromRouterSettings(router: RouterTimerSettings): LinkStateTimers {
  const ms = (seconds: number | undefined, fallback: number) => (seconds === undefined ? fallback : seconds * 1000);
  return {
    helloIntervalMs: ms(router.helloIntervalSeconds, DEFAULT_TIMERS.helloIntervalMs),
    helloMaxAgeMs: ms(router.helloMaxAgeSeconds, DEFAULT_TIMERS.helloMaxAgeMs),
    raIntervalMs: ms(router.raIntervalSeconds, DEFAULT_TIMERS.raIntervalMs),
    raIntervalFluxMs: ms(router.raIntervalFluxSeconds, DEFAULT_TIMERS.raIntervalFluxMs),
    remoteLsMaxAgeMs: ms(router.remoteLsMaxAgeSeconds, DEFAULT_TIMERS.remoteLsMaxAgeMs),
    mobileSyncIntervalMs: DEFAULT_TIMERS.mobileSyncIntervalMs,
  };
}
