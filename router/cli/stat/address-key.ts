// How qdstat shows an address hash key (reference §4.2): the first character is the class, a
// mobile key's second character its phase (`0`-`9`, or `F` for fallback), the rest the address.

const CLASSES: Record<string, string> = {
  M: 'mobile', R: 'router', A: 'area', L: 'local', T: 'topo',
  C: 'link-in', E: 'link-in', D: 'link-out', F: 'link-out', H: 'edge',
};

export function addressClass(key: string | null | undefined): string {
  if (!key) return '';
  return CLASSES[key[0]] ?? `unknown: ${key[0]}`;
}

export function addressText(key: string | null | undefined): string {
  if (!key) return '';
  return key[0] === 'M' ? key.slice(2) : key.slice(1);
}

export function addressPhase(key: string | null | undefined): string {
  if (!key) return '';
  return key[0] === 'M' ? key.slice(1, 2) : '';
}
