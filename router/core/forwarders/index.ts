// One forwarder per distribution, by table (STYLE.md: forwarders by table, not by if-chain).

import type { Distribution } from '../destination';
import type { Forwarder } from './forwarder';
import { closest } from './closest';
import { balanced } from './balanced';
import { multicast } from './multicast';

const unavailable: Forwarder = { select: () => [] };

export const forwarders: Record<Distribution, Forwarder> = { closest, balanced, multicast, unavailable };
export type { Forwarder };
