import type { CliIO } from './io.js';
export async function importResultCommand(_file: string, _values: Record<string, unknown>, _io: CliIO): Promise<number> {
  throw new Error('todo');
}
