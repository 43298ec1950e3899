// RFC 1982 serial-number arithmetic on 32 bits: delivery-ids, transfer-ids and delivery-counts
// wrap at 2^32 (AMQP 1.0 part 2 §2.8.2).

export function serialAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** a − b as a signed distance in (−2^31, 2^31]. */
export function serialDiff(a: number, b: number): number {
  return ((a - b) | 0);
}

export function serialLt(a: number, b: number): boolean {
  return serialDiff(a, b) < 0;
}

export function serialLe(a: number, b: number): boolean {
  return serialDiff(a, b) <= 0;
}
