// Reads the frames recorded from a real qdrouterd 1.19 mesh (../shared/reference/wire-captures).

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CapturedFrame {
  file: string;
  index: number;
  dir: string;
  tag: string;
  perf: string;
  hex: string;
  decoded?: string;
  ch?: number;
}

/** The shared/ folder beside the repository (CI clones it there too), or $WEFT_SHARED_DIR. */
export function sharedDir(): string {
  const candidates = [
    ...(process.env.WEFT_SHARED_DIR ? [path.resolve(process.env.WEFT_SHARED_DIR)] : []),
    path.resolve(__dirname, '../../../../shared'), path.resolve(__dirname, '../../../shared'), path.resolve(process.cwd(), '../shared'),
  ];
  for (const c of candidates) if (fs.existsSync(path.join(c, 'reference'))) return c;
  throw new Error(`shared/ not found beside the repository (looked in ${candidates.join(', ')})`);
}

export const CAPTURE_FILES = ['1-inter-router', '2-data-over-mesh', '3-management', '4-link-route', '4b-link-route-abrupt-close'];

export function loadCapture(name: string): CapturedFrame[] {
  const file = path.join(sharedDir(), 'reference', 'wire-captures', `${name}.frames.jsonl`);
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line, index) => ({ ...JSON.parse(line), file: name, index }));
}

/** Frames with an AMQP or SASL body (no protocol headers, heartbeats or omitted placeholders). */
export function capturedFrames(): CapturedFrame[] {
  return CAPTURE_FILES.flatMap(loadCapture).filter((f) => f.hex && f.perf !== 'protocol-header' && f.perf !== 'empty' && f.perf !== 'omitted');
}
