// Builders for outgoing control messages, each wrapped in the send action that addresses it as
// qdrouterd does (reference §3.2–§3.7).

import type { SendAction } from './actions';
import { ALL_ROUTERS_ADDRESS, ALL_ROUTERS_MA_ADDRESS, HELLO_ADDRESS, routerAddress, routerMaAddress } from './control-addresses';
import type { LinkState } from './link-state';
import { AREA, PROTOCOL_VERSION, type RouterId } from './messages';

/** One of our own addresses as we advertise it. */
export interface LocalAdvert {
  key: string;
  hint: number;
}

export function helloTo(id: RouterId, instance: number, seen: RouterId[]): SendAction {
  return {
    type: 'send',
    to: 'every-link',
    address: HELLO_ADDRESS,
    message: { opcode: 'HELLO', id, pv: PROTOCOL_VERSION, area: AREA, instance, seen },
  };
}

export function raTo(id: RouterId, instance: number, lsSeq: number, mobileSeq: number): SendAction {
  return {
    type: 'send',
    to: 'every-router',
    address: ALL_ROUTERS_ADDRESS,
    message: { opcode: 'RA', id, pv: PROTOCOL_VERSION, area: AREA, instance, ls_seq: lsSeq, mobile_seq: mobileSeq },
  };
}

export function lsrTo(target: RouterId, id: RouterId): SendAction {
  return {
    type: 'send',
    to: { router: target },
    address: routerAddress(target),
    message: { opcode: 'LSR', id, pv: PROTOCOL_VERSION, area: AREA },
  };
}

/** The reply to an LSR goes to the area the request named (always '0'). */
export function lsuTo(target: RouterId, area: string, id: RouterId, instance: number, ls: LinkState): SendAction {
  return {
    type: 'send',
    to: { router: target },
    address: routerAddress(target, area),
    message: { opcode: 'LSU', id, pv: PROTOCOL_VERSION, area: AREA, instance, ls_seq: ls.lsSeq, ls: ls.toBody() },
  };
}

export function marTo(target: RouterId, id: RouterId, haveSeq: number): SendAction {
  return {
    type: 'send',
    to: { router: target },
    address: routerMaAddress(target),
    message: { opcode: 'MAR', id, pv: PROTOCOL_VERSION, area: AREA, have_seq: haveSeq },
  };
}

export function differentialMau(id: RouterId, mobileSeq: number, added: LocalAdvert[], deleted: string[]): SendAction {
  return {
    type: 'send',
    to: 'every-router',
    address: ALL_ROUTERS_MA_ADDRESS,
    message: {
      opcode: 'MAU',
      id,
      pv: PROTOCOL_VERSION,
      area: AREA,
      mobile_seq: mobileSeq,
      hints: added.map((a) => a.hint),
      add: added.map((a) => a.key),
      del: deleted,
    },
  };
}

export function absoluteMauTo(target: RouterId, id: RouterId, mobileSeq: number, exist: LocalAdvert[]): SendAction {
  return {
    type: 'send',
    to: { router: target },
    address: routerMaAddress(target),
    message: {
      opcode: 'MAU',
      id,
      pv: PROTOCOL_VERSION,
      area: AREA,
      mobile_seq: mobileSeq,
      exist: exist.map((a) => a.key),
      hints: exist.map((a) => a.hint),
    },
  };
}
