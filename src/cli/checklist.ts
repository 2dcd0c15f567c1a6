import type { CliIO } from './io.js';

export const checklistHelp = 'normkit checklist: not implemented yet\n';

export async function checklistCommand(_argv: string[], io: CliIO): Promise<number> {
  io.err('normkit checklist: not implemented yet\n');
  return 2;
}
