// multicast: one copy to every consumer attached now, whatever its credit; each copy waits on
// its own consumer's link (reference §4.5).

import type { Forwarder } from './forwarder';

export const multicast: Forwarder = {
  select(address) {
    return address.consumers.slice();
  },
};
