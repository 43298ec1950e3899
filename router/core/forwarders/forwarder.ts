import type { Address } from '../address';
import type { Destination } from '../destination';

/** Chooses where one delivery goes. An empty result means "no one can take it now". */
export interface Forwarder {
  select<C extends Destination>(address: Address<C>): C[];
}
