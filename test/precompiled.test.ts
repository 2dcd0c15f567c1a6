import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import Handlebars from 'handlebars';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../src/check/check-project.js';
import { AJV_OPTIONS, SCHEMA_NAMES } from '../src/check/schemas.js';
import { loadProject } from '../src/load/project-loader.js';
import { loadTemplates } from '../src/load/templates.js';
import { resolveProject } from '../src/model/project.js';
import { HANDLEBARS_OPTIONS } from '../src/render/html/renderer.js';
import { SCHEMA_DIR } from '../src/paths.js';
import { guideView } from '../src/views/guide-view.js';
import { posterView } from '../src/views/poster-view.js';
import { REPO, SAMPLE } from './helpers.js';

// dist/ is compiled, and the code made, by the test setup (as npm's prepare does)
const require = createRequire(import.meta.url);
const sha1 = (text: string): string => hash('sha1', text);

describe('schemas and templates made into code when normkit is built', () => {
  it('the validation code reports exactly what compiling the schemas reports', () => {
    const pre = require('../dist/check/validators.cjs') as Record<string, ((d: unknown) => boolean) & { errors?: unknown }> & { hashes: Record<string, string> };
    const ajv = new Ajv2020.default(AJV_OPTIONS);
    const item = parse(readFileSync(path.join(REPO, 'standards/items/gaj/driving-licence-replacement.yaml'), 'utf8')) as Record<string, unknown>;
    const samples: Record<string, unknown[]> = {
      item: [item, { ...item, name: 5 }, { ...item, time_limit: { legal_days: '五' } }, { ...item, colour: '红' }, (({ code: _c, ...rest }) => rest)(item), []],
      project: [{}, { organization: 1, departments: 'x' }],
      standard: [{}, { code: 'Q/X 1-2024', title: '', status: 'gone' }],
      checklist: [{}, { id: 'x', sections: [{ items: [{}] }] }],
      result: [{}, { checklist: 3, scores: 'none' }],
    };
    for (const name of SCHEMA_NAMES) {
      const text = readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8');
      expect(pre.hashes[name]).toBe(sha1(text));
      const compiled = ajv.compile(JSON.parse(text));
      for (const data of samples[name]!) {
        expect(pre[name]!(data), `${name} ${JSON.stringify(data).slice(0, 60)}`).toBe(compiled(data));
        expect(pre[name]!.errors).toEqual(compiled.errors);
      }
    }
  });

  it('the template specs render what compiling the templates renders', async () => {
    const specs = require('../dist/render/html/templates.cjs') as Record<string, { hash: string; spec: Parameters<typeof Handlebars.template>[0] }>;
    const templates = await loadTemplates();
    expect(Object.keys(specs).sort()).toEqual([...templates.keys()].sort());
    const loaded = await loadProject(SAMPLE);
    const project = resolveProject(checkProject(loaded), loaded.root);
    const item = project.items[0]!;
    const data: Record<string, object> = { poster: posterView(project, item), guide: guideView(project, item) };
    const hbs = { pre: Handlebars.create(), compiled: Handlebars.create() };
    for (const [key, t] of templates) {
      expect(specs[key]!.hash).toBe(sha1(t.text));
      if (!t.partial) continue;
      hbs.pre.registerPartial(t.name, hbs.pre.template(specs[key]!.spec));
      hbs.compiled.registerPartial(t.name, hbs.compiled.compile(t.text, HANDLEBARS_OPTIONS));
    }
    for (const h of [hbs.pre, hbs.compiled]) h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    for (const name of Object.keys(data)) {
      const t = templates.get(name)!;
      const html = hbs.pre.template(specs[name]!.spec)(data[name]);
      expect(html.length).toBeGreaterThan(1000);
      expect(html).toBe(hbs.compiled.compile(t.text, HANDLEBARS_OPTIONS)(data[name]));
    }
  });
});
