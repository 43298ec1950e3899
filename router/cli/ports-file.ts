// --ports-file: `{listenerName: port}` as JSON, written whole and renamed into place so that a
// reader never sees half a file. Rewritten after a reload changes the listeners.

import * as fs from 'node:fs';
import type { RouterNode } from '../node/router-node';

export function writePortsFile(file: string, node: RouterNode): void {
  const ports = Object.fromEntries([...node.listeners].map(([name, l]) => [name, l.port]));
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(ports));
  fs.renameSync(tmp, file);
}
