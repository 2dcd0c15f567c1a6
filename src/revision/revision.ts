import type { Project, Standard } from '../model/project.js';
import { alignEditions, type ClauseChange } from './align.js';
import { changeItems } from './foreword.js';
import { outline } from './outline.js';

/** How two editions differ, clause by clause. */
export function compareStandards(old: Pick<Standard, 'body'>, neu: Pick<Standard, 'body'>): ClauseChange[] {
  return alignEditions(outline(old.body), outline(neu.body));
}

/**
 * The 主要技术变化 of a standard that replaces another: the author's list when written, else drafted
 * from the two editions when the project has the old one; undefined when there is nothing to compare.
 */
export function technicalChanges(project: Project, s: Standard): { items: string[]; drafted: boolean } | undefined {
  if (!s.replaces) return undefined;
  if (s.changes) return { items: s.changes, drafted: false };
  const old = project.standardByCode.get(s.replaces);
  if (!old) return undefined;
  return { items: changeItems(compareStandards(old, s), s.replaces), drafted: true };
}
