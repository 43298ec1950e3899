// The link-state routing engine (reference §3): HELLO, RA, LSR/LSU, MAU/MAR and paths.

export * from './actions';
export * from './control-addresses';
export * from './messages';
export { LinkStateEngine, type LinkStateEngineOptions, type RouterNodeInfo } from './engine';
export { computeRoutes, withPlaceholders, type LinkStateCollection, type Peers, type Route, type RoutingTable } from './shortest-paths';
export { DEFAULT_TIMERS, timersFromRouterSettings, type LinkStateTimers, type RouterTimerSettings } from './timing';
export { isAdvertisedKey } from './mobile-sync';
export { MAX_ROUTERS } from './mask-bits';
export { benchTopologyChange, type TopologyChangeBenchOptions, type TopologyChangeBenchResult } from './bench-topology-change';
