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
import { Diagnostics } from '../src/diagnostics.js';
import { printable } from '../src/diagnostics-format.js';
import { parseMarkdownSource } from '../src/load/markdown-source.js';
import { CONTROL, decodeSource } from '../src/load/read-text.js';
import { parseYamlSource } from '../src/load/yaml-source.js';
import { xmlText } from '../src/render/pdf/pdfkit-fixes.js';

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

describe('fuzz: what issue 15 closed stays closed', () => {
  const yamlPiece = fc.constantFrom('name: ', 'result：', '  ', '   ', '\t', '- ', 'step: ', ': ', '"', "'", '[', ']', '{', '}', '#', '\n', 'a', '办理', '\\e', '\\0', '\\x1b', '\\u0007', '&a', '*a', '|', '>');
  const yamlText = fc.array(yamlPiece, { maxLength: 40 }).map((a) => a.join(''));

  it('any YAML text: at most one yaml-syntax per file, at a real place; no control character in the data', () => {
    fc.assert(fc.property(yamlText, (text) => {
      const diags = new Diagnostics();
      const src = parseYamlSource(text, 'x.yaml', diags);
      const syntax = diags.list.filter((d) => d.rule === 'yaml-syntax');
      expect(syntax.length).toBeLessThanOrEqual(1);
      const lines = text.split('\n').length;
      for (const d of diags.list) expect(d.line! >= 1 && d.line! <= lines, JSON.stringify(d)).toBe(true);
      const strings: string[] = [];
      const walk = (v: unknown): void => {
        if (typeof v === 'string') strings.push(v);
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { strings.push(k); walk(x); }
      };
      if (src && !diags.list.some((d) => d.rule === 'invalid-character')) walk(src.data);
      for (const s of strings) expect(s).not.toMatch(CONTROL);
    }), { numRuns: RUNS });
  });

  it('any bytes: decoded to text without control characters, or one whole-file diagnostic', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.array(fc.constantFrom('甲', '\r\n', '\r', '\u001b', '\u0000', '\u0085', '\ufeff', 'a', '\n'), { maxLength: 20 }).map((a) => new TextEncoder().encode(a.join(''))),
      fc.constantFrom(new Uint8Array([0xff, 0xfe, 0x61, 0]), new Uint8Array([0xca, 0xc2, 0xcf, 0xee]), new Uint8Array([0xef, 0xbb, 0xbf, 0x61])),
    );
    fc.assert(fc.property(bytes, (b) => {
      const diags = new Diagnostics();
      const text = decodeSource(b, 'x.yaml', diags);
      if (text === undefined) expect(diags.list).toHaveLength(1);
      else expect(text).not.toMatch(CONTROL);
      if (text !== undefined) expect(text).not.toContain('\r');
    }), { numRuns: RUNS });
  });

  it('any string is printable for a terminal: no ESC, BEL or bidi override survives', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      expect(printable(s)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }), { numRuns: RUNS });
  });

  it('any text is safe inside the XMP packet: no markup, no character XML cannot hold', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      const x = xmlText(s);
      expect(x).not.toMatch(/[<>"]|&(?!amp;|lt;|gt;|quot;)/);
      expect(x).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    }), { numRuns: RUNS });
  });

  it('any Markdown body of markers and brackets: parsed, or refused with nesting-too-deep / markdown-too-complex, never a stack overflow', () => {
    const piece = fc.constantFrom('>', '> ', '- ', '1. ', '[', ']', '](', '\n', '\n\n', '  ', '应', '*');
    const body = fc.oneof(
      fc.array(piece, { maxLength: 60 }).map((a) => a.join('')),
      fc.tuple(fc.constantFrom('>', '- ', '> - ', ']', '[a]('), fc.integer({ min: 60, max: 3000 })).map(([m, n]) => m.repeat(n)),
    );
    fc.assert(fc.property(body, (b) => {
      const diags = new Diagnostics();
      const md = parseMarkdownSource(`---\ncode: Q/X 1—2024\ntitle: 甲\n---\n\n${b}\n`, 'x.md', diags);
      if (!md) expect(diags.list.map((d) => d.rule).every((r) => r === 'nesting-too-deep' || r === 'markdown-too-complex'), JSON.stringify(diags.list)).toBe(true);
    }), { numRuns: Math.min(RUNS, 200) });
  });
});
