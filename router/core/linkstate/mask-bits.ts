// Mask bits: each known router gets the lowest free bit in 1..127 (bit 0 is this router), so a
// mesh holds at most 128 routers including us (reference §3.8, §8.9). Forwarders can keep sets
// of routers as bitmasks, and management shows the bit as the router node's `index`.

export const MAX_ROUTERS = 128;

export class MaskBits {
  private readonly used = new Uint8Array(MAX_ROUTERS);

  constructor() {
    this.used[0] = 1;
  }

  /** The lowest free bit, or undefined when the mesh is full. */
  allocate(): number | undefined {
    const bit = this.used.indexOf(0);
    if (bit < 0) return undefined;
    this.used[bit] = 1;
    return bit;
  }

  free(bit: number): void {
    if (bit > 0) this.used[bit] = 0;
  }
}
