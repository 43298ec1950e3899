import { expect } from 'chai';
import {
  acceptsRouters, interiorRouterConf, interRouterConnector, interRouterListener, MeshRouterSpec, meshStartOrder, renderConf, standaloneRouterConf,
} from '../../../scripts/bench/router-conf';
import { LINE_TOPOLOGY } from '../../../scripts/bench/scenarios/line';
import { MESH_TOPOLOGY } from '../../../scripts/bench/scenarios/mesh';
import { RECONVERGE_TOPOLOGY } from '../../../scripts/bench/scenarios/reconverge';

describe('bench router configuration', () => {
  it('writes a standalone router in qdrouterd format', () => {
    expect(renderConf(standaloneRouterConf('bench1', 40123), 'test')).to.equal(
      [
        '# test',
        '',
        'router {',
        '    mode: standalone',
        '    id: bench1',
        '}',
        '',
        'listener {',
        '    host: 127.0.0.1',
        '    port: 40123',
        '    role: normal',
        '    saslMechanisms: ANONYMOUS',
        '    authenticatePeer: no',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('quotes values that are not bare words', () => {
    const text = renderConf([{ type: 'address', attributes: { prefix: 'a/b.c', note: 'two words', tag: 'x#y', on: true } }]);
    expect(text).to.contain('    prefix: a/b.c\n');
    expect(text).to.contain('    note: "two words"\n');
    expect(text).to.contain('    tag: "x#y"\n');
    expect(text).to.contain('    on: yes\n');
  });
});

describe('bench mesh configuration', () => {
  const triangle: MeshRouterSpec[] = [
    { id: 'R1', connectTo: [{ id: 'R2' }, { id: 'R3' }] },
    { id: 'R2', connectTo: [{ id: 'R3' }] },
    { id: 'R3' },
  ];
  const ports = new Map([
    ['R1', { client: 41001 }],
    ['R2', { client: 41002, interRouter: 42002 }],
    ['R3', { client: 41003, interRouter: 42003 }],
  ]);

  it('starts every router after those it connects to', () => {
    expect(meshStartOrder(triangle).map((r) => r.id)).to.deep.equal(['R3', 'R2', 'R1']);
    expect(meshStartOrder(MESH_TOPOLOGY.routers).map((r) => r.id)).to.deep.equal(['R3', 'R2', 'R1']);
    expect(meshStartOrder(LINE_TOPOLOGY.routers).map((r) => r.id)).to.deep.equal(['R3', 'R2', 'R1']);
    expect(meshStartOrder(RECONVERGE_TOPOLOGY.routers).map((r) => r.id)).to.deep.equal(['D', 'B', 'C', 'A']);
  });

  it('refuses unknown routers, self-connections and cycles, naming them', () => {
    expect(() => meshStartOrder([{ id: 'A', connectTo: [{ id: 'Z' }] }])).to.throw(/A connects to Z, which is not in the mesh/);
    expect(() => meshStartOrder([{ id: 'A', connectTo: [{ id: 'A' }] }])).to.throw(/A connects to itself/);
    expect(() => meshStartOrder([{ id: 'A', connectTo: [{ id: 'B' }] }, { id: 'B', connectTo: [{ id: 'A' }] }, { id: 'C' }])).to.throw(/cycle among A, B/);
    expect(() => meshStartOrder([{ id: 'A' }, { id: 'A' }])).to.throw(/duplicate/);
  });

  it('gives an inter-router listener only to routers others connect to', () => {
    expect(triangle.map((r) => acceptsRouters(r.id, triangle))).to.deep.equal([false, true, true]);
  });

  it('writes an interior router with its listeners and connectors in qdrouterd format', () => {
    expect(renderConf(interiorRouterConf(triangle[1], triangle, ports), 'test')).to.equal(
      [
        '# test',
        '',
        'router {',
        '    mode: interior',
        '    id: R2',
        '}',
        '',
        'listener {',
        '    host: 127.0.0.1',
        '    port: 41002',
        '    role: normal',
        '    saslMechanisms: ANONYMOUS',
        '    authenticatePeer: no',
        '}',
        '',
        'listener {',
        '    host: 127.0.0.1',
        '    port: 42002',
        '    role: inter-router',
        '    saslMechanisms: ANONYMOUS',
        '    authenticatePeer: no',
        '}',
        '',
        'connector {',
        '    name: to-R3',
        '    host: 127.0.0.1',
        '    port: 42003',
        '    role: inter-router',
        '}',
        '',
      ].join('\n'),
    );
    const r1 = interiorRouterConf(triangle[0], triangle, ports);
    expect(r1.map((s) => s.type)).to.deep.equal(['router', 'listener', 'connector', 'connector']);
  });

  it('writes a cost only above 1', () => {
    expect(interRouterConnector('to-C', 42000, 5).attributes).to.include({ cost: 5, role: 'inter-router' });
    expect(interRouterConnector('to-B', 42000).attributes).not.to.have.property('cost');
    expect(interRouterListener(42000, 3).attributes).to.include({ cost: 3 });
    const a = RECONVERGE_TOPOLOGY.routers[0];
    const p = new Map(['A', 'B', 'C', 'D'].map((id, i) => [id, { client: 41000 + i, interRouter: 42000 + i }]));
    const text = renderConf(interiorRouterConf(a, RECONVERGE_TOPOLOGY.routers, p));
    expect(text).to.contain('    name: to-C\n    host: 127.0.0.1\n    port: 42002\n    role: inter-router\n    cost: 5\n');
  });

  it('says which router lacks a port', () => {
    expect(() => interiorRouterConf(triangle[0], triangle, new Map([['R1', { client: 1 }]]))).to.throw(/R2 has no inter-router port for R1/);
  });
});
