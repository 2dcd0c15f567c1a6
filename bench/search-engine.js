// The site's own search (html/assets/search.js) run in Node against a built site: for the tests and
// the benchmark. Index files are read as the browser would load them, and their bytes counted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

/** An engine over `site` (out/html); `loaded` lists every index file a query read, with its bytes. */
export function siteSearch(site) {
  const context = vm.createContext({ URLSearchParams, Intl, Promise, Map, Math });
  vm.runInContext(readFileSync(path.join(site, 'assets/search.js'), 'utf8'), context, { filename: 'search.js' });
  const api = context.NKSearch;
  const loaded = new Map();
  const engine = api.createEngine(async (file) => {
    const full = path.join(site, 'search', file);
    const text = readFileSync(full, 'utf8');
    loaded.set(file, Buffer.byteLength(text));
    vm.runInContext(text, context, { filename: file });
  });
  return {
    api,
    loaded,
    /** The first `count` results of `query`, with the total found. */
    async query(query, count = 20) {
      const s = await engine.search(query);
      const results = await s.next(count);
      return { total: s.total, partial: s.partial, results };
    },
  };
}
