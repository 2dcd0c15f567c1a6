import type { CliIO } from './io.js';
export const buildHelp = 'normkit build [dir]\n';
export async function buildCommand(_argv: string[], io: CliIO): Promise<number> {
  io.err('build: not yet\n');
  return 2;
}
