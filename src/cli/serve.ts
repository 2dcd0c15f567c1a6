import type { CliIO } from './io.js';

export const serveHelp = 'normkit serve: not implemented yet\n';

export async function serveCommand(_argv: string[], io: CliIO): Promise<number> {
  io.err('normkit serve: not implemented yet\n');
  return 2;
}
