import path from 'node:path';
import { Diagnostics, type Diagnostic } from '../diagnostics.js';
import { readSourceText } from './read-text.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

/**
 * Gives a line and column to diagnostics raised while rendering, which name the key path of what
 * they are about (`at`): the sources were let go after checking, so only the files these few
 * diagnostics name are read and parsed again. `at` is dropped once used, so output stays the same
 * as for any other diagnostic.
 */
export function locateDiagnostics(root: string, list: Diagnostic[]): void {
  const sources = new Map<string, YamlSource | undefined>();
  for (const d of list) {
    if (!d.at) continue;
    const at = d.at;
    delete d.at;
    if (d.line !== undefined || !/\.ya?ml$/.test(d.file)) continue;
    if (!sources.has(d.file)) {
      const quiet = new Diagnostics();
      const text = readSourceText(path.join(root, d.file), d.file, quiet);
      sources.set(d.file, text === undefined ? undefined : parseYamlSource(text, d.file, quiet));
    }
    const src = sources.get(d.file);
    const pos = src?.keyAt(at) ?? src?.valueAt(at);
    if (pos) Object.assign(d, pos);
  }
}
