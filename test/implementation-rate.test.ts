/** 标准实施率: the assessed items that trace a standard and were met in full, over every result. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../src/check/check-project.js';
import { loadProject } from '../src/load/project-loader.js';
import { resolveProject } from '../src/model/project.js';
import { implementationRate } from '../src/scoring/implementation.js';
import { REPO } from './helpers.js';

describe('标准实施率', () => {
  it('counts each traced item of each result once, met only at full points and with no veto failed', async () => {
    const loaded = await loadProject(path.join(REPO, 'test/fixtures/checklists/project'));
    const project = resolveProject(checkProject(loaded), loaded.root);
    // window.yaml traces items 1, 2, 3 and 5; the staff scheme traces none.
    // east: 1 at 二级 (3 of 6) → 3 of 4; north: 2 at 3.5 of 4 → 3 of 4; west: 5 failed as a veto → 3 of 4
    expect(implementationRate(project)).toEqual({ num: 9, den: 12 });
  });

  it('is 0 of 0 (无数据) when no assessed item traces a standard', () => {
    expect(implementationRate({ results: [] })).toEqual({ num: 0, den: 0 });
  });
});
