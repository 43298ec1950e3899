// `weft manage` is built with the management agent (issue: management).

import { Command } from './command';

export const EXIT_NOT_IMPLEMENTED = 3;

function pending(name: string, summary: string): Command {
  return {
    name,
    summary,
    run: async () => {
      process.stderr.write('not implemented yet (issue: management)\n');
      return EXIT_NOT_IMPLEMENTED;
    },
  };
}

export const manageCommand = pending('manage', 'manage router entities, like qdmanage (not implemented yet)');
