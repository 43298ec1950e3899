// Waiting for the broker behind router3, in the link-route lab: router3's log says when its
// link routes and auto-links are active; a router further away knows a link route only once the
// mesh has told it, so a client there attaches again until its link reaches the broker.

import { LabReceiver, LabSender, ReceivedMessage } from './demo-clients';
import { LabError } from './lab-layout';
import type { Endpoint } from './lab-mesh';
import { LabRouter, sleep } from './lab-router';

const POLL_MS = 100;
/** A link not routed to the broker (yet) gets no credit or no message within this. */
const ATTEMPT_MS = 1500;
const RETRY_PAUSE_MS = 250;

/** Waits until every pattern matches a line of the router's log; returns the first matching line of each. */
export async function waitForLogLines(router: LabRouter, patterns: readonly RegExp[], timeoutMs: number, what: string): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const lines = router.log().split('\n');
    const found = patterns.map((p) => lines.find((l) => p.test(l)));
    if (found.every((l) => l !== undefined)) return found as string[];
    if (!router.running) throw new LabError(`${router.name} exited while waiting for ${what}`);
    if (Date.now() > deadline) throw new LabError(`${router.name} did not log ${what} within ${timeoutMs / 1000} s (missing: ${patterns.filter((_, i) => !found[i]).join(', ')})`);
    await sleep(POLL_MS);
  }
}

/**
 * A sender on `endpoint` whose link reaches the broker: it has credit, which a link-routed
 * sender gets from the broker only. Refused (no route yet) or without credit, it attaches again.
 */
export async function routedSender(endpoint: Endpoint, address: string, timeoutMs: number): Promise<{ sender: LabSender; attempts: number }> {
  const deadline = Date.now() + timeoutMs;
  for (let attempts = 1; ; attempts++) {
    const s = new LabSender(endpoint, address);
    try {
      await s.waitUntil(() => s.credited, Math.min(ATTEMPT_MS, Math.max(1, deadline - Date.now())), () => `no credit for '${address}'`);
      return { sender: s, attempts };
    } catch (err) {
      await s.close();
      if (Date.now() > deadline) throw new LabError(`a sender to '${address}' never got credit from the broker within ${timeoutMs / 1000} s (last attempt: ${(err as Error).message})`);
      await sleep(RETRY_PAUSE_MS);
    }
  }
}

/**
 * A receiver on `endpoint` for a queue that holds messages, kept once its first message comes:
 * one attached before the router knew the route would be message-routed, and get nothing.
 */
export async function routedReceiver(endpoint: Endpoint, address: string, timeoutMs: number, onMessage: (m: ReceivedMessage) => void): Promise<{ receiver: LabReceiver; attempts: number }> {
  const deadline = Date.now() + timeoutMs;
  for (let attempts = 1; ; attempts++) {
    const r = new LabReceiver(endpoint, address, onMessage);
    try {
      await r.waitUntil(() => r.messages.length > 0, Math.min(ATTEMPT_MS, Math.max(1, deadline - Date.now())), () => `no message from '${address}'`);
      return { receiver: r, attempts };
    } catch (err) {
      await r.close();
      if (Date.now() > deadline) throw new LabError(`a receiver for '${address}' got nothing from the broker within ${timeoutMs / 1000} s (last attempt: ${(err as Error).message})`);
      await sleep(RETRY_PAUSE_MS);
    }
  }
}
