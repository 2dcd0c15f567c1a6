/**
 * The site's search: the index the build writes (src/render/search) and the engine the pages run
 * (templates/assets/search.js), run here in Node on the built sample as a browser would load it.
 * Ten queries written in advance must find their items; the index and the engine must agree on
 * keys, shards and posting lists; a rebuild after one edit re-renders only what it must and writes
 * the same index as a build from scratch.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteSearch } from '../bench/search-engine.js';
import { build } from '../src/pipeline/build.js';
import { buildPostings, decodeKeyIndex, decodeList, encodeList, keysOf, patchShards, shardOf, shardScripts } from '../src/render/search/search-index.js';
import type { SearchDoc } from '../src/views/search-view.js';
import { SAMPLE, snapshot, tempCopy, tempDir } from './helpers.js';

type Engine = ReturnType<typeof siteSearch>;
let out: { dir: string; cleanup: () => Promise<void> };
let engine: Engine;
let site: string;

beforeAll(async () => {
  out = await tempDir();
  const r = await build({ projectDir: SAMPLE, outDir: out.dir, formats: ['html'], only: ['search'], workers: 0 });
  expect(r.diagnostics.list.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.ok).toBe(true);
  site = path.join(out.dir, 'html');
  engine = siteSearch(site);
});
afterAll(() => out?.cleanup());

const titles = async (q: string, n = 5): Promise<string[]> => (await engine.query(q, n)).results.map((r: { title: string }) => r.title);

describe('ten queries written in advance, on the sample', () => {
  // query → the item or standard that must come first (a two-character substring is enough)
  const FIRST: [string, string][] = [
    ['驾驶证', '机动车驾驶证补领'],
    ['港澳', '往来港澳通行证签注'],
    ['失业', '失业保险金申领'],
    ['预售', '商品房预售许可'],
    ['养老', '养老机构备案'],
    ['退休', '企业职工退休审批'],
    ['结婚', '结婚登记'],
    ['530100-GG-0002', '就业创业证申领'],
    ['食品 延续', '食品经营许可（延续）'],
    ['一次性告知', 'Q/YLZW 2002—2024　一次性告知服务规范'],
  ];
  for (const [q, first] of FIRST) {
    it(`“${q}” finds ${first} first`, async () => {
      expect((await titles(q))[0]).toBe(first);
    });
  }

  it('“居住证” finds the items that mention it, whole words before 居住证明', async () => {
    const r = await engine.query('居住证');
    const found = r.results.map((x: { title: string }) => x.title);
    expect(found.slice(0, 2).sort()).toEqual(['房屋租赁登记备案', '最低生活保障审批']);
    // 居住证明 holds 居住证 as a substring (found), but not as a word (ranked after)
    expect(found[2]).toBe('户口迁入（投靠亲属落户）');
    const top = r.results[0] as { sub: string; label: string; text: string; ranges: [number, number][]; url: string };
    expect(top.sub).toMatch(/民政局|住房和城乡建设局/);
    expect(top.text.slice(top.ranges[0]![0], top.ranges[0]![1])).toBe('居住证');
    expect(top.url).toMatch(/^guides\/530100-[A-Z]{2}-\d{4}\.html$/);
  });

  it('a clause is found by its heading and links to its anchor', async () => {
    const r = await engine.query('首问责任人');
    const top = r.results[0] as { kind: string; label: string; url: string };
    expect(top.kind).toBe('standard');
    expect(top.label).toMatch(/^3\.1　首问责任人$/);
    expect(top.url).toMatch(/^standards\/Q-YLZW-2001-20(19|24)\.html#c3\.1$/);
  });

  it('a word the sources never use finds nothing; a near miss finds the closest (partial)', async () => {
    expect((await engine.query('火箭发射')).total).toBe(0);
    const near = await engine.query('居民身份证换发');
    expect(near.total).toBeGreaterThan(0);
    expect(near.results[0].title).toBe('居民身份证换领');
  });
});

describe('the index as written', () => {
  it('a query loads only the shards of its keys and the documents it shows', async () => {
    const fresh = siteSearch(site);
    await fresh.query('营业执照', 5);
    const files = [...fresh.loaded.keys()];
    expect(files).toContain('meta.js');
    const shards = files.filter((f) => /^k\d+\.js$/.test(f));
    const meta = JSON.parse(/NKSearch\.meta\((.*)\);/.exec(await readFile(path.join(site, 'search/meta.js'), 'utf8'))![1]!);
    // 营业执照: three bigrams, at most three shards
    expect(shards.length).toBeGreaterThan(0);
    expect(shards.length).toBeLessThanOrEqual(3);
    expect(shards.length).toBeLessThan(meta.shards);
    expect(files.filter((f) => f.startsWith('d/')).length).toBeLessThanOrEqual(10);
  });

  it('the engine in the pages splits, hashes and decodes as the build does', () => {
    const api = engine.api;
    for (const text of ['居住证', '食品经营许可（新办）', 'GB/T 1.1—2020', '５３０１００－ＧＧ', '𠀋𠀍字']) {
      const terms: string[] = api.termsOf(text);
      const fromPage = new Set(terms.flatMap((t: string) => api.termKeys(t) as string[]));
      // every key the page looks up for a text is a key the build made for it
      const built = new Set(keysOf(text));
      for (const k of fromPage) expect(built.has(k), `${text}: ${k}`).toBe(true);
      for (const k of built) expect(api.shardOf(k, 64)).toBe(shardOf(k, 64));
    }
    // document ids 0, 1, 2, 4, 100, 101, 2500, 35000 (doubled, plus 1 for a title key)
    const list = [0, 3, 4, 9, 200, 203, 5000, 70001];
    expect(decodeList(encodeList(list))).toEqual(list);
    expect(api.decode(encodeList(list))).toEqual(list);
  });

  it('saved keys let unchanged documents skip tokenizing, with the same postings', () => {
    const doc = (t: string, p: string): SearchDoc => ({ kind: 'item', title: t, sub: '', url: '', passages: [{ label: '', text: p }] });
    const docs = [doc('结婚登记', '双方共同到婚姻登记处'), doc('离婚登记', '双方自愿离婚'), doc('居住证', '持有本市居住证')];
    const first = buildPostings(docs.length, (i) => docs[i]!);
    docs[1] = doc('离婚登记', '协议离婚的双方当事人');
    const asked: number[] = [];
    const again = buildPostings(docs.length, (i) => (asked.push(i), docs[i]!), decodeKeyIndex(first.index), (i) => i !== 1);
    expect(asked).toEqual([1]);
    const fresh = buildPostings(docs.length, (i) => docs[i]!);
    expect([...again.postings.byKey].sort()).toEqual([...fresh.postings.byKey].sort());
    expect(decodeKeyIndex(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });

  it('patching the last shards after edits gives the shards a build from scratch gives', () => {
    const doc = (t: string, p: string): SearchDoc => ({ kind: 'item', title: t, sub: '', url: '', passages: [{ label: '', text: p }] });
    const docs = Array.from({ length: 40 }, (_, i) => doc(`事项${i}登记`, `申请人提交材料${i % 7}份，窗口当场受理`));
    const first = buildPostings(docs.length, (i) => docs[i]!);
    // a new character (鑫), a key moved into the title (受理), a key gone from a document (窗口), an unchanged document asked again
    docs[3] = doc('事项3受理', '申请人提交材料，鑫');
    docs[17] = doc('事项17登记', '当场受理');
    const patched = patchShards(docs.length, (i) => docs[i]!, decodeKeyIndex(first.index)!, shardScripts(first.postings), [3, 17, 20]);
    expect(patched).toBeDefined();
    const fresh = buildPostings(docs.length, (i) => docs[i]!);
    expect(patched!.scripts).toEqual(shardScripts(fresh.postings));
    // and its saved keys serve the next edit as well
    docs[3] = doc('事项3登记', '申请人提交材料');
    const twice = patchShards(docs.length, (i) => docs[i]!, decodeKeyIndex(patched!.index)!, patched!.scripts, [3]);
    expect(twice!.scripts).toEqual(shardScripts(buildPostings(docs.length, (i) => docs[i]!).postings));
    // many changed documents: made from every document instead
    expect(patchShards(docs.length, (i) => docs[i]!, decodeKeyIndex(first.index)!, shardScripts(first.postings), docs.map((_, i) => i))).toBeUndefined();
  });
});

describe('incremental', () => {
  it('one edited item re-renders its document and the shards; the index equals a build from scratch', async () => {
    const proj = await tempCopy();
    const a = await tempDir();
    const b = await tempDir();
    try {
      expect((await build({ projectDir: proj.dir, outDir: a.dir, formats: ['html'], only: ['search'], workers: 0 })).ok).toBe(true);
      const same = await build({ projectDir: proj.dir, outDir: a.dir, formats: ['html'], only: ['search'], workers: 0 });
      expect(same.rendered).toEqual([]);
      const file = path.join(proj.dir, 'items/mzj/marriage-registration.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace('name: 结婚登记', 'name: 结婚登记（涉外）'));
      const r = await build({ projectDir: proj.dir, outDir: a.dir, formats: ['html'], only: ['search'], workers: 0 });
      expect(r.ok).toBe(true);
      const docs = r.rendered.filter((p) => p.startsWith('html/search/d/'));
      expect(docs).toHaveLength(1);
      expect(await readFile(path.join(a.dir, docs[0]!), 'utf8')).toContain('结婚登记（涉外）');
      expect(r.rendered).not.toContain('html/search.html');
      expect((await siteSearch(path.join(a.dir, 'html')).query('涉外')).results[0].title).toBe('结婚登记（涉外）');
      expect((await build({ projectDir: proj.dir, outDir: b.dir, formats: ['html'], only: ['search'], workers: 0, force: true })).ok).toBe(true);
      const [sa, sb] = [await snapshot(path.join(a.dir, 'html/search')), await snapshot(path.join(b.dir, 'html/search'))];
      expect(sa).toEqual(sb);
    } finally {
      await Promise.all([proj.cleanup(), a.cleanup(), b.cleanup()]);
    }
  });
});
