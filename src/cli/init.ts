import type { CliIO } from './io.js';

export const initHelp = 'normkit init: not implemented yet\n';

export async function initCommand(_argv: string[], io: CliIO): Promise<number> {
  io.err('normkit init: not implemented yet\n');
  return 2;
}
