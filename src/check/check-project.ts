import type { LoadedProject } from '../load/project-loader.js';
import { normalizeStandardNumber } from '../model/standard-number.js';
import type { YamlSource } from '../load/yaml-source.js';
import type { ChecklistData, ItemData, ProjectData, ResultData, StandardFront } from '../model/data.js';
import type { Checked, Rule, RuleContext } from './context.js';
import { checklistRules } from './rules/checklists.js';
import { fontRules } from './rules/fonts.js';
import { itemRules } from './rules/items.js';
import { projectRules } from './rules/project.js';
import { registerRules, resultRules } from './rules/results.js';
import { standardRules } from './rules/standards.js';
import { writingRules } from './rules/writing.js';
import { referenceRules } from './rules/references.js';
import { headingRules } from './rules/headings.js';
import { verbFormRules } from './rules/verb-forms.js';
import { evidenceItemRules } from './rules/evidence-items.js';
import { checkSchema, type SchemaName } from './schemas.js';

const RULES: Rule[] = [projectRules, fontRules, standardRules, itemRules, checklistRules, resultRules, registerRules, writingRules, referenceRules, headingRules, verbFormRules, evidenceItemRules];

/** Schemas first, then the cross-file rules over what passed; all problems land in `loaded.diagnostics`. */
export function checkProject(loaded: LoadedProject): RuleContext {
  const diags = loaded.diagnostics;
  // A text that conformed in the last successful build still does (schemas come with normkit,
  // and the cache is per version): only new or changed files are validated again.
  const cache = loaded.cache;
  const pass = <T>(name: SchemaName, src: YamlSource): Checked<T> | undefined => {
    const fact = cache && src.cacheKey ? `valid:${name}:${src.cacheKey}` : undefined;
    if (!(fact && cache!.known(fact))) {
      if (!checkSchema(name, src, diags)) return undefined;
      if (fact) cache!.note(fact);
    }
    return { src, data: src.data as T };
  };
  const keep = <T>(name: SchemaName, list: YamlSource[]): Checked<T>[] =>
    list.map((s) => pass<T>(name, s)).filter((x): x is Checked<T> => x !== undefined);

  if (!loaded.project && !diags.list.some((d) => d.file === 'project.yaml')) {
    diags.error('project.yaml', { line: 1, column: 1 }, 'project-missing', '项目文件夹中没有 project.yaml。请创建它（可用 normkit init 生成示例）。');
  }
  const ctx: RuleContext = {
    diags,
    root: loaded.root,
    project: loaded.project ? pass<ProjectData>('project', loaded.project) : undefined,
    standards: loaded.standards
      .map((md) => {
        const c = pass<StandardFront>('standard', md.front);
        return c && { ...c, md };
      })
      .filter((x): x is NonNullable<typeof x> => !!x),
    items: keep<ItemData>('item', loaded.items),
    checklists: keep<ChecklistData>('checklist', loaded.checklists),
    results: keep<ResultData>('result', loaded.results),
  };
  // Files that failed their schemas are already reported; don't also call references to them unknown.
  const idOf = (src: YamlSource, key: string): string | undefined => {
    const v = (src.data as Record<string, unknown> | null)?.[key];
    return typeof v === 'string' ? v : undefined;
  };
  const passed = new Set<YamlSource>([...ctx.standards, ...ctx.checklists].map((c) => c.src));
  ctx.invalid = {
    standardCodes: new Set(loaded.standards.filter((m) => !passed.has(m.front)).map((m) => idOf(m.front, 'code'))
      .filter((c): c is string => c !== undefined).map(normalizeStandardNumber)),
    checklistIds: new Set(loaded.checklists.filter((s) => !passed.has(s)).map((s) => idOf(s, 'id')).filter((c): c is string => c !== undefined)),
  };
  for (const rule of RULES) rule(ctx);
  return ctx;
}
