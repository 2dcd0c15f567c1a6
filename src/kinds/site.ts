import type { Project } from '../model/project.js';

/** Navigation data every page template receives; `root` is the page's path back to the site root. */
export function navFor(project: Project, root: string): { root: string; hasItems: boolean; hasChecklists: boolean } {
  return { root, hasItems: project.items.length > 0, hasChecklists: project.checklists.length > 0 };
}
