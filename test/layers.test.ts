import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The house: each folder of src/ on a floor; a module imports only from its own floor or below.
 * Data flows load → check → model → views → render → write, orchestrated by pipeline and the CLI.
 */
const FLOORS: string[][] = [
  ['(root)', 'types'],
  ['load', 'typography'],
  ['model'],
  ['check', 'scoring', 'format', 'evidence'],
  ['views', 'checklist', 'revision', 'import'],
  ['layout'],
  ['render'],
  ['write'],
  ['kinds', 'pipeline'],
  ['serve'],
  ['cli'],
];

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function floorOf(folder: string): number {
  const i = FLOORS.findIndex((f) => f.includes(folder));
  if (i < 0) throw new Error(`src/${folder} is on no floor: add it to FLOORS in test/layers.test.ts`);
  return i;
}

function folderOf(file: string, src: string = SRC): string {
  const rel = path.relative(src, file).split(path.sep);
  return rel.length === 1 ? '(root)' : rel[0]!;
}

/** Every import of a module under `src` that reaches a higher floor, as "from → to". */
function upwardImports(src: string = SRC): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
          const target = path.resolve(path.dirname(p), m[1]!);
          const a = folderOf(p, src), b = folderOf(target, src);
          if (floorOf(b) > floorOf(a)) found.push(`${path.relative(src, p)} → ${path.relative(src, target)}`);
        }
      }
    }
  };
  walk(src);
  return found;
}

describe('layers', () => {
  it('no module imports from a floor above its own', () => {
    expect(upwardImports()).toEqual([]);
  });

  it('catches a planted upward import', () => {
    const src = mkdtempSync(path.join(tmpdir(), 'nk-layers-'));
    try {
      mkdirSync(path.join(src, 'model'));
      mkdirSync(path.join(src, 'check', 'rules'), { recursive: true });
      writeFileSync(path.join(src, 'check', 'rules', 'standards.ts'), "import { slug } from '../../model/slug.js';\n");
      writeFileSync(path.join(src, 'model', 'slug.ts'), 'export const slug = 1;\n');
      expect(upwardImports(src)).toEqual([]);
      writeFileSync(path.join(src, 'model', 'project.ts'), "import { DEFAULT_SYSTEMS } from '../check/rules/standards.js';\n");
      expect(upwardImports(src)).toEqual([`model/project.ts → check/rules/standards.js`]);
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });

  it('every folder of src/ is on a floor', () => {
    for (const e of readdirSync(SRC, { withFileTypes: true })) if (e.isDirectory()) expect(() => floorOf(e.name)).not.toThrow();
  });
});
