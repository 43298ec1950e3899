// What the core needs to know of a place a delivery can go. The router's glue implements it
// over engine links; the mesh simulator over in-memory links. No I/O here.

export interface Destination {
  /** Deliveries it can take now (link credit not yet promised). */
  readonly capacity: number;
  /** Undelivered + unsettled deliveries on it: the load `balanced` compares. */
  readonly load: number;
}

export type Distribution = 'closest' | 'balanced' | 'multicast' | 'unavailable';
export const DISTRIBUTIONS: readonly Distribution[] = ['closest', 'balanced', 'multicast', 'unavailable'];
