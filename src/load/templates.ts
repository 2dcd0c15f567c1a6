import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { TEMPLATE_DIR } from '../paths.js';

/** A template's text and where it came from (for diagnostics and the build manifest). */
export interface TemplateSource {
  name: string;
  /** Path shown to the user: `templates/x.hbs` of the project, or `normkit:templates/x.hbs`. */
  file: string;
  text: string;
  partial: boolean;
}

async function readDir(dir: string, label: string, partial: boolean): Promise<TemplateSource[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.hbs')).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (n) => ({
    name: n.replace(/\.hbs$/, ''),
    file: `${label}${partial ? 'partials/' : ''}${n}`,
    text: await readFile(path.join(dir, n), 'utf8'),
    partial,
  })));
}

/** Bundled templates, each overridable by a file of the same name in the project's `templates/`. */
export async function loadTemplates(projectRoot?: string): Promise<Map<string, TemplateSource>> {
  const map = new Map<string, TemplateSource>();
  const add = (list: TemplateSource[]): void => { for (const t of list) map.set(`${t.partial ? 'partial:' : ''}${t.name}`, t); };
  add(await readDir(TEMPLATE_DIR, 'normkit:templates/', false));
  add(await readDir(path.join(TEMPLATE_DIR, 'partials'), 'normkit:templates/', true));
  if (projectRoot) {
    add(await readDir(path.join(projectRoot, 'templates'), 'templates/', false));
    add(await readDir(path.join(projectRoot, 'templates', 'partials'), 'templates/', true));
  }
  return map;
}
