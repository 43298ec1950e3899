// closest: one copy, round-robin between the local consumers that have credit
// (reference §4.5; remote routers by path cost come with the mesh).

import type { Forwarder } from './forwarder';

export const closest: Forwarder = {
  select(address) {
    const list = address.consumers;
    const n = list.length;
    for (let k = 0; k < n; k++) {
      const i = (address.cursor + k) % n;
      if (list[i].capacity > 0) {
        address.cursor = (i + 1) % n;
        return [list[i]];
      }
    }
    return [];
  },
};
