import type { Project } from '../model/project.js';

/** Navigation data every page template receives; `root` is the page's path back to the site root. */
export function navFor(project: Project, root: string): { root: string; hasItems: boolean; hasChecklists: boolean } {
  return { root, hasItems: project.items.length > 0, hasChecklists: project.checklists.length > 0 };
}

/** Source files an output depends on, for incremental builds (project.yaml, templates, fonts always count). */
export const deps = {
  standards: (p: Project): string[] => p.standards.map((s) => s.file),
  items: (p: Project): string[] => p.items.map((i) => i.file),
  checklists: (p: Project): string[] => [...p.checklists.map((c) => c.file), ...p.results.map((r) => r.file)],
};
