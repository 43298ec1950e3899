// Seeded randomness for the simulator. Every run picks a fresh seed unless SIM_SEED is set; a
// failing test prints the seeds it used so that the run can be repeated exactly.

import { randomInt } from 'node:crypto';

export type Random = () => number;

/** mulberry32: small, fast, good enough to draw latencies and topologies. */
export function prng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seedsOfThisTest: number[] = [];

/** A seed for one simulation: SIM_SEED if set, else a random one; remembered for the report. */
export function newSeed(): number {
  const fixed = process.env.SIM_SEED;
  const seed = fixed !== undefined && fixed !== '' ? Number(fixed) : randomInt(0, 2 ** 31);
  seedsOfThisTest.push(seed);
  return seed;
}

/** Integer in [min, max]. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

// A root hook (this module is loaded by every simulation test): print the seeds of a failure.
// Outside mocha (a script driving the simulator) there is nothing to hook.
if (typeof afterEach === 'function') afterEach(function () {
  if (this.currentTest?.state === 'failed' && seedsOfThisTest.length > 0) {
    console.log(`      simulation seed${seedsOfThisTest.length > 1 ? 's' : ''}: ${seedsOfThisTest.join(', ')} (repeat with SIM_SEED=${seedsOfThisTest[0]})`);
  }
  seedsOfThisTest.length = 0;
});
