// balanced: one copy to the consumer with the lowest load (undelivered + unsettled) among those
// with credit; ties go round-robin so equal consumers share evenly (reference §4.5).

import type { Forwarder } from './forwarder';

export const balanced: Forwarder = {
  select(address) {
    const list = address.consumers;
    const n = list.length;
    let best = -1;
    let bestLoad = Infinity;
    for (let k = 0; k < n; k++) {
      const i = (address.cursor + k) % n;
      const c = list[i];
      if (c.capacity > 0 && c.load < bestLoad) { best = i; bestLoad = c.load; }
    }
    if (best < 0) return [];
    address.cursor = (best + 1) % n;
    return [list[best]];
  },
};
