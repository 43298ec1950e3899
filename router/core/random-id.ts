// Random identifiers in qdrouterd's alphabet (15 characters of a–z A–Z 0–9 + _): link names,
// dynamic addresses. Randomness is passed in so the simulator can seed it.

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+_';

export type Random = () => number;

export function randomId(random: Random, length = 15): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return s;
}
