import type { CliIO } from './io.js';

export const fmtHelp = 'normkit fmt: not implemented yet\n';

export async function fmtCommand(_argv: string[], io: CliIO): Promise<number> {
  io.err('normkit fmt: not implemented yet\n');
  return 2;
}
