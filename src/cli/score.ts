import type { CliIO } from './io.js';
export const scoreHelp = 'normkit score <result.yaml>\n';
export async function scoreCommand(_argv: string[], io: CliIO): Promise<number> {
  io.err('score: not yet\n');
  return 2;
}
