// /readyz decisions on drawn states: a standalone router, a connector still connecting, a
// neighbour not yet two-way, a router known but without a route, a converged mesh.

import { expect } from 'chai';
import type { RouterNodeInfo } from '../../../router/core/linkstate';
import { MeshState, readiness } from '../../../router/observe/readiness';

function router(id: string, linkState: string[], nextHop: string | undefined): RouterNodeInfo {
  return { id, index: 0, instance: 1, linkState, nextHop, validOrigins: [], cost: nextHop ? 1 : undefined, routerLink: undefined, lsSeq: 1, mobileSeq: 0 };
}

const connected = { name: 'to-B', target: '127.0.0.1:5001', status: 'SUCCESS' as const, lastError: '', neighbour: 'B' };

describe('observe/readiness', () => {
  it('a standalone router is ready once started', () => {
    const state: MeshState = { started: false, self: 'A', connectors: [], routers: undefined };
    expect(readiness(state)).to.deep.equal({ ready: false, missing: ['listeners and connectors are still starting'] });
    expect(readiness({ ...state, started: true })).to.deep.equal({ ready: true, missing: [] });
  });

  it('an interior router alone, with no connectors, is ready', () => {
    expect(readiness({ started: true, self: 'A', connectors: [], routers: [router('A', [], '(self)')] }).ready).to.equal(true);
  });

  // A --connector--> B (not up yet)
  it('waits for each connector to connect and its neighbour to be known', () => {
    const connecting = { ...connected, status: 'FAILED' as const, lastError: 'connect ECONNREFUSED 127.0.0.1:5001', neighbour: undefined };
    let r = readiness({ started: true, self: 'A', connectors: [connecting], routers: [router('A', [], '(self)')] });
    expect(r).to.deep.equal({ ready: false, missing: ['connector to-B: not connected to 127.0.0.1:5001 (connect ECONNREFUSED 127.0.0.1:5001)'] });
    r = readiness({ started: true, self: 'A', connectors: [{ ...connected, neighbour: undefined }], routers: [router('A', [], '(self)')] });
    expect(r.missing).to.deep.equal(['connector to-B: connected to 127.0.0.1:5001, neighbour not known yet']);
  });

  // A - B - C: B's link state names C before A has C's own.
  it('waits for a route to every router in the link-state database', () => {
    const routers = [router('A', ['B'], '(self)'), router('B', ['A', 'C'], 'B')];
    expect(readiness({ started: true, self: 'A', connectors: [connected], routers }).missing)
      .to.deep.equal(["router C: named in B's link state, not known yet"]);
    routers.push(router('C', ['B'], undefined));
    expect(readiness({ started: true, self: 'A', connectors: [connected], routers }).missing).to.deep.equal(['router C: no route yet']);
    routers[2] = router('C', ['B'], 'B');
    expect(readiness({ started: true, self: 'A', connectors: [connected], routers })).to.deep.equal({ ready: true, missing: [] });
  });
});
