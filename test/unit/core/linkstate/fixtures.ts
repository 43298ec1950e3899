// Message builders and action filters for the engine's unit tests.

import type { Action, SendAction } from '../../../../router/core/linkstate/actions';
import type {
  ControlMessage,
  DifferentialMau,
  Hello,
  LinkStateUpdate,
  MobileAddressRequest,
  RouterAdvertisement,
} from '../../../../router/core/linkstate/messages';

export const hello = (id: string, seen: string[], instance = 100): Hello => ({ opcode: 'HELLO', id, pv: 1, area: '0', instance, seen });

export const ra = (id: string, lsSeq: number, mobileSeq = 0, instance = 100): RouterAdvertisement => ({
  opcode: 'RA', id, pv: 1, area: '0', instance, ls_seq: lsSeq, mobile_seq: mobileSeq,
});

export const lsu = (id: string, lsSeq: number, peers: Record<string, number>, instance = 100): LinkStateUpdate => ({
  opcode: 'LSU', id, pv: 1, area: '0', instance, ls_seq: lsSeq, ls: { id, area: '0', ls_seq: lsSeq, peers },
});

export const mau = (id: string, mobileSeq: number, add: string[], del: string[] = [], hints = add.map(() => 3)): DifferentialMau => ({
  opcode: 'MAU', id, pv: 1, area: '0', mobile_seq: mobileSeq, hints, add, del,
});

export const mar = (id: string, haveSeq: number): MobileAddressRequest => ({ opcode: 'MAR', id, pv: 1, area: '0', have_seq: haveSeq });

export function sends(actions: Action[]): SendAction[] {
  return actions.filter((a): a is SendAction => a.type === 'send');
}

/** 'HELLO', 'LSR>RB', 'RA' … one word per message sent, in order. */
export function sent(actions: Action[]): string[] {
  return sends(actions).map((a) => (typeof a.to === 'object' ? `${a.message.opcode}>${a.to.router}` : a.message.opcode));
}

export function only<T extends Action['type']>(actions: Action[], type: T): Extract<Action, { type: T }>[] {
  return actions.filter((a): a is Extract<Action, { type: T }> => a.type === type);
}

export function messagesOf<O extends ControlMessage['opcode']>(actions: Action[], opcode: O): Extract<ControlMessage, { opcode: O }>[] {
  return sends(actions).flatMap((a) => (a.message.opcode === opcode ? [a.message as Extract<ControlMessage, { opcode: O }>] : []));
}
