import type { Diagnostics } from '../diagnostics.js';
import type { MarkdownSource } from '../load/markdown-source.js';
import type { YamlSource } from '../load/yaml-source.js';
import type { ChecklistData, ItemData, ProjectData, ResultData, StandardFront } from '../model/data.js';

/** A source that passed its schema, with its typed data. */
export interface Checked<T> {
  src: YamlSource;
  data: T;
}

export interface CheckedStandard extends Checked<StandardFront> {
  md: MarkdownSource;
}

/** What cross-file rules see: only sources that passed their schemas. */
export interface RuleContext {
  diags: Diagnostics;
  /** The project folder (for rules that look at files it names, such as fonts). */
  root?: string;
  project?: Checked<ProjectData>;
  standards: CheckedStandard[];
  items: Checked<ItemData>[];
  checklists: Checked<ChecklistData>[];
  results: Checked<ResultData>[];
  /** Standard codes and checklist ids of files that failed their schemas: they exist, so a reference to them is not "unknown". */
  invalid?: { standardCodes: Set<string>; checklistIds: Set<string> };
}

/** A named rule over the checked project; one module per concern, like lint rules. */
export type Rule = (ctx: RuleContext) => void;
