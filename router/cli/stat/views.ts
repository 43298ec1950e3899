// The display options of `weft stat`, each with the view it runs (qdstat's display group: one
// at a time, -g when none is given).

import { addressesView } from './addresses-view';
import { autolinksView, linkroutesView } from './config-views';
import { connectionsView } from './connections-view';
import { generalView } from './general-view';
import { linksView } from './links-view';
import { logView } from './log-view';
import { memoryView } from './memory-view';
import { nodesView } from './nodes-view';
import { StatView } from './view';

export interface DisplayOption {
  long: string;
  short?: string;
  help: string;
  view: StatView;
}

export const DISPLAY_OPTIONS: readonly DisplayOption[] = [
  { long: 'general', short: 'g', help: 'router statistics (the default)', view: generalView },
  { long: 'connections', short: 'c', help: 'connections', view: connectionsView },
  { long: 'links', short: 'l', help: 'router links', view: linksView },
  { long: 'nodes', short: 'n', help: 'routers of the mesh', view: nodesView },
  { long: 'address', short: 'a', help: 'router addresses', view: addressesView },
  { long: 'memory', short: 'm', help: 'memory use', view: memoryView },
  { long: 'autolinks', help: 'auto-links', view: autolinksView },
  { long: 'linkroutes', help: 'link routes', view: linkroutesView },
  { long: 'log', help: 'recent log entries', view: logView },
];
