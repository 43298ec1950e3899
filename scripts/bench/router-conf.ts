// Router configuration files in qdrouterd's `section { key: value }` format, so that the same
// files run against weftd and qdrouterd (DESIGN.md §5).

export type ConfValue = string | number | boolean;

export interface ConfSection {
  /** router, listener, connector, address, ... */
  type: string;
  attributes: Record<string, ConfValue>;
}

/** A listener for clients: no authentication, SASL ANONYMOUS offered. */
export function clientListener(port: number, host = '127.0.0.1'): ConfSection {
  return {
    type: 'listener',
    attributes: { host, port, role: 'normal', saslMechanisms: 'ANONYMOUS', authenticatePeer: false },
  };
}

/** One router on its own, with one client listener. */
export function standaloneRouterConf(id: string, port: number): ConfSection[] {
  return [{ type: 'router', attributes: { mode: 'standalone', id } }, clientListener(port)];
}

export function renderConf(sections: readonly ConfSection[], header = 'Written by the Weft bench (scripts/bench).'): string {
  const blocks = sections.map((section) => {
    const lines = Object.entries(section.attributes).map(([key, value]) => `    ${key}: ${renderValue(value)}`);
    return `${section.type} {\n${lines.join('\n')}\n}\n`;
  });
  return `# ${header}\n\n${blocks.join('\n')}`;
}

function renderValue(value: ConfValue): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  // Bare words as qdrouterd's own examples write them; anything else (spaces, `#`) quoted.
  return /^[A-Za-z0-9_.:/*+-]+$/.test(value) ? value : JSON.stringify(value);
}
