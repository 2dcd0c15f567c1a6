import type { Diagnostics } from '../diagnostics.js';
import type { MarkdownSource } from '../load/markdown-source.js';
import type { YamlSource } from '../load/yaml-source.js';
import type { ChecklistData, ItemData, ProjectData, ResultData, StandardFront } from './data.js';

/** A source that passed its schema, with its typed data. */
export interface Checked<T> {
  src: YamlSource;
  data: T;
}

export interface CheckedStandard extends Checked<StandardFront> {
  md: MarkdownSource;
}

/** The sources that passed their schemas: what cross-file rules see and what the model is resolved from. */
export interface CheckedSources {
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
