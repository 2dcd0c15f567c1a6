/**
 * Fuzzing the surfaces beyond build and validate: the commit journal, fmt and the preview server.
 * NORMKIT_FUZZ_RUNS scales every property here as in fuzz.test.ts.
 */
import http from 'node:http';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSource } from '../src/format/format-source.js';
import { FormatError } from '../src/format/yaml-format.js';
import { startServer, type PreviewServer } from '../src/serve/server.js';
import { trustedJournal, UntrustedJournal } from '../src/write/output.js';
import { tempCopy } from './helpers.js';

const RUNS = Math.max(20, Number(process.env.NORMKIT_FUZZ_RUNS) || 2000);

const segment = fc.oneof(fc.constantFrom('..', '.', '', 'html', 'pdf', '.normkit-x', '/', '\\', '\0', '办事指南'), fc.string({ maxLength: 6 }));
const relPath = fc.array(segment, { maxLength: 5 }).map((s) => s.join('/'));
const folderName = fc.oneof(fc.constantFrom('.normkit-staging-1-deadbeef', '.normkit-trash-1-deadbeef', '../x', '.normkit-staging-1-../..'), fc.string({ maxLength: 30 }));

describe('fuzz: the commit journal', () => {
  it('a journal is refused, or every path it names lies inside the output folder', () => {
    const out = '/srv/out';
    fc.assert(fc.property(
      fc.record({ format: fc.constantFrom('normkit-journal-1', 'x'), staging: folderName, trash: folderName, remove: fc.array(relPath, { maxLength: 4 }), pinned: fc.array(relPath, { maxLength: 4 }) }, { requiredKeys: [] }),
      (j) => {
        let trusted;
        try {
          trusted = trustedJournal(JSON.stringify(j), 'out/.normkit-journal');
        } catch (e) {
          expect(e).toBeInstanceOf(UntrustedJournal);
          return;
        }
        for (const rel of [trusted.staging, trusted.trash, ...trusted.remove, ...trusted.pinned]) {
          expect(path.resolve(out, rel).startsWith(`${out}/`)).toBe(true);
        }
      },
    ), { numRuns: RUNS });
  });

  it('any text is a journal or a clear refusal, never another error', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (t) => {
      try {
        trustedJournal(t, 'out/.normkit-journal');
      } catch (e) {
        expect(e).toBeInstanceOf(UntrustedJournal);
      }
    }), { numRuns: RUNS });
  });
});

describe('fmt: any body is formatted stably or refused with a FormatError', () => {
  const piece = fc.constantFrom('> ', '- ', '1. ', '  ', '**', '*', '[', ']', '(', ')', '`', '|', '---', '\n', '\n\n', '#', '应', '服务对象', '：', '，', '\\', '<br>', 'http://x.cn', '\r\n');
  const body = fc.oneof(
    fc.array(piece, { maxLength: 40 }).map((a) => a.join('')),
    fc.tuple(fc.constantFrom('> ', '- ', '  - '), fc.integer({ min: 1, max: 400 })).map(([m, n]) => `${m.repeat(n)}深\n`),
  );
  it('never overflows the stack, never changes on a second run', () => {
    fc.assert(fc.property(body, (b) => {
      const text = `---\ncode: Q/X 1—2024\ntitle: 甲\n---\n\n${b}`;
      let once: string;
      try {
        once = formatSource(text, 'standard');
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        return;
      }
      expect(formatSource(once, 'standard')).toBe(once);
    }), { numRuns: Math.max(20, Math.round(RUNS / 10)) });
  });
});

describe('fuzz: the preview server', () => {
  let server: PreviewServer;
  let project: Awaited<ReturnType<typeof tempCopy>>;
  beforeAll(async () => {
    project = await tempCopy();
    server = await startServer({ projectDir: project.dir, port: 0, watch: false });
  });
  afterAll(async () => {
    await server?.close();
    await project?.cleanup();
  });

  const get = (rawPath: string, headers: Record<string, string>): Promise<{ status: number; body: string }> => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

  it('odd paths and headers: never a server error, never a file from outside the site, never another host', async () => {
    const own = () => `127.0.0.1:${server.port}`;
    const pathArb = fc.array(fc.constantFrom('/', '..', '%2e%2e', '%2f', 'html', 'index.html', 'standards', '%00', '..%5c', '?page=', '__normkit', 'pdf', '#', '%E5%8A%9E', '%E5%8A'), { minLength: 1, maxLength: 8 }).map((a) => `/${a.join('')}`.replace(/^\/+/, '/'));
    const hostArb = fc.oneof(fc.constant('own'), fc.constantFrom('attacker.example', 'localhost', '127.0.0.1', '[::1]:1', ''), fc.string({ maxLength: 20 }).filter((s) => /^[\x21-\x7e]*$/.test(s)));
    await fc.assert(fc.asyncProperty(pathArb, hostArb, async (p, host) => {
      const h = host === 'own' ? own() : host;
      const r = await get(p, h ? { host: h } : {});
      expect(r.status).toBeLessThan(500);
      expect(r.body).not.toMatch(/root:x:0:0/);
      if (h !== own() && h !== `localhost:${server.port}`) expect(r.status).toBeGreaterThanOrEqual(400);
    }), { numRuns: Math.max(20, Math.round(RUNS / 20)) });
  });
});
