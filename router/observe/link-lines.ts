// The text of the link lines of module ROUTER_CORE, in qdrouterd 1.19's words (its router logs
// in the wire captures), with Weft's reasons appended where qdrouterd says none:
//   [C1][L2] Link attached: dir=out source={preAddress expire:sess} target={<none> expire:sess}
//   [C1][L3] Link refused: dir=in source={...} target={...} condition=amqp:not-found description="Node not found"
//   [C1][L2] Link detached: by=peer condition=... description="..."
//   [C1][L2] Link lost
// dir is the router's side: in = the router receives on the link.

import type { ErrorCondition, Terminus } from '../amqp/performatives';
import { inspect, symbol } from './amqp-inspect';

export interface LinkFacts {
  connId: number;
  linkId: number;
  /** The router receives on it. */
  incoming: boolean;
}

export function attachedLine(l: LinkFacts, source: Terminus | undefined, target: Terminus | undefined): string {
  return `${prefix(l)} Link attached: ${termini(l, source, target)}`;
}

export function refusedLine(l: LinkFacts, source: Terminus | undefined, target: Terminus | undefined, error: ErrorCondition | undefined): string {
  return `${prefix(l)} Link refused: ${termini(l, source, target)}${reasonText(error)}`;
}

/**
 * A link's end. `detached` says it was detached (by `by`, with `error`); otherwise its session
 * or connection ended under it, which qdrouterd calls lost.
 */
export function endedLine(l: LinkFacts, detached: boolean, by: 'router' | 'peer', error: ErrorCondition | undefined): string {
  if (!detached) return `${prefix(l)} Link lost${reasonText(error, ':')}`;
  return `${prefix(l)} Link detached: by=${by}${reasonText(error)}`;
}

/** ` condition=... description="..."`, or nothing without an error. */
export function reasonText(error: ErrorCondition | undefined, lead = ''): string {
  if (!error) return '';
  const description = error.description === undefined ? '' : ` description=${quoted(error.description)}`;
  return `${lead} condition=${error.condition}${description}`;
}

export function quoted(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\]/g, (c) => '\\' + c).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}

function prefix(l: LinkFacts): string {
  return `[C${l.connId}][L${l.linkId}]`;
}

function termini(l: LinkFacts, source: Terminus | undefined, target: Terminus | undefined): string {
  return `dir=${l.incoming ? 'in' : 'out'} source=${terminusText(source)} target=${terminusText(target)}`;
}

const EXPIRY: Readonly<Record<string, string>> = {
  'link-detach': ' expire:link', 'session-end': ' expire:sess', 'connection-close': ' expire:conn', never: '',
};

/**
 * qdrouterd's terminus summary: `{(dyn)address dur:... expire:... dist:... timeout:N caps:...
 * flt:... outcomes:... props:...}`, `<none>` for no address, `{}` for no terminus.
 */
export function terminusText(t: Terminus | undefined): string {
  if (!t) return '{}';
  if (t.kind === 0x30) return '{<coordinator>}';
  let s = `${t.dynamic ? '(dyn)' : ''}${t.address ?? '<none>'}`;
  if (t.durable === 1) s += ' dur:config';
  else if (t.durable === 2) s += ' dur:deliveries';
  s += EXPIRY[t.expiryPolicy ?? 'session-end'] ?? ` expire:${t.expiryPolicy}`; // absent means session-end
  if (t.distributionMode) s += ` dist:${t.distributionMode}`;
  if (t.timeout) s += ` timeout:${t.timeout}`;
  if (t.capabilities !== undefined) s += ` caps:${symbols(t.capabilities)}`;
  if (t.filter && t.filter.size > 0) s += ` flt:${inspect(t.filter)}`;
  if (t.outcomes !== undefined) s += ` outcomes:${symbols(t.outcomes)}`;
  if (t.dynamicNodeProperties && t.dynamicNodeProperties.size > 0) s += ` props:${inspect(t.dynamicNodeProperties)}`;
  return `{${s}}`;
}

/** One symbol as Proton prints it (`:"qd.router"`, `:bare`), several as an array. */
function symbols(s: string | string[]): string {
  return typeof s === 'string' ? symbol(s) : `@PN_SYMBOL[${s.map(symbol).join(', ')}]`;
}
