/**
 * Per-item QR codes to the published site: with site_url and `site_qr: always` every poster and guide
 * carries a QR code that decodes to the item's page; `digest` (default) only on a poster whose digest
 * cut text; `never` not at all. A value outside the three is reported with its line.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../src/check/check-project.js';
import { loadProject } from '../src/load/project-loader.js';
import { resolveProject, type Project } from '../src/model/project.js';
import { guideView } from '../src/views/guide-view.js';
import { posterView } from '../src/views/poster-view.js';
import { decodeQr } from './qr-decode.js';
import { cli, tempCopy } from './helpers.js';

const SITE = 'https://zwfw.example.gov.cn/site/';

const decode = decodeQr;

describe('QR codes to the item’s page on the site', () => {
  let proj: { dir: string; cleanup: () => Promise<void> };
  let base: string;
  beforeAll(async () => {
    proj = await tempCopy();
    base = await readFile(path.join(proj.dir, 'project.yaml'), 'utf8');
  });
  afterAll(() => proj?.cleanup());

  async function withSetting(extra: string): Promise<Project> {
    await writeFile(path.join(proj.dir, 'project.yaml'), `${base.trimEnd()}\n${extra}\n`);
    const loaded = await loadProject(proj.dir);
    const ctx = checkProject(loaded);
    expect(loaded.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
    return resolveProject(ctx, loaded.root);
  }

  it('site_qr: always puts the page on every poster and guide, first', async () => {
    const project = await withSetting(`site_url: ${SITE}\nsite_qr: always`);
    for (const item of project.items) {
      const page = `${SITE}guides/${encodeURIComponent(item.slug)}.html`;
      const poster = posterView(project, item);
      expect(decode(poster.qr[0]!), item.code).toBe(page);
      expect(poster.qr[0]!.label).toBe('看办事指南');
      const guide = guideView(project, item);
      expect(decode(guide.qr[0]!), item.code).toBe(page);
      expect(guide.qr[0]!.label).toBe('在手机上看本指南');
      // the online service and the evaluation page keep their own codes
      if (item.online_url) expect(guide.qr.map((q) => q.url)).toContain(item.online_url);
    }
  });

  it('digest (the default) keeps the page for posters whose digest cut text; never leaves it out', async () => {
    const byDefault = await withSetting(`site_url: ${SITE}`);
    const item = byDefault.items[0]!;
    const page = `${SITE}guides/${encodeURIComponent(item.slug)}.html`;
    expect(posterView(byDefault, item).qr.map((q) => q.url)).not.toContain(page);
    expect(posterView(byDefault, item).guideQr?.url).toBe(page);
    expect(guideView(byDefault, item).qr.map((q) => q.url)).not.toContain(page);
    const never = await withSetting(`site_url: ${SITE}\nsite_qr: never`);
    expect(posterView(never, item).guideQr?.url).toBe(item.online_url);
    expect(guideView(never, item).qr.map((q) => q.url)).not.toContain(page);
  });

  it('an unknown value is reported at its line with the three choices', async () => {
    await writeFile(path.join(proj.dir, 'project.yaml'), `${base.trimEnd()}\nsite_qr: sometimes\n`);
    const r = await cli('validate', proj.dir);
    expect(r.code).toBe(1);
    const line = base.trimEnd().split('\n').length + 1;
    expect(r.out).toMatch(new RegExp(`project\\.yaml:${line}:\\d+\\s+error`));
    expect(r.out).toMatch(/digest[\s\S]*always[\s\S]*never|digest、always、never/);
  });
});
