import type { RuleContext } from '../check/context.js';
import { checkGlyphs } from '../check/glyphs.js';
import type { Diagnostics } from '../diagnostics.js';
import { checkPosters } from '../kinds/posters.js';
import { loadTemplates } from '../load/templates.js';
import { resolveProject } from '../model/project.js';
import { HtmlRenderer } from '../render/html/renderer.js';
import { FontError, loadFontBook } from '../typography/fonts.js';

/**
 * What `build` checks before rendering, for `validate`: the project's templates (unreadable,
 * syntax, unknown helpers and partials, partials that include themselves) and, once the sources
 * are free of errors, the characters the fonts cannot draw and how each poster fits (a poster no
 * sheet can hold is an error, as in build). So a project validate passes is one
 * build accepts. (Fonts themselves are checked by the font rules of checkProject.)
 */
export async function checkRenderInputs(root: string, ctx: RuleContext, diags: Diagnostics): Promise<void> {
  HtmlRenderer.check(await loadTemplates(root, diags), diags);
  if (diags.errorCount > 0) return;
  const project = resolveProject(ctx, root);
  let book;
  try {
    book = loadFontBook(project.fonts ?? {}, project.root);
  } catch (e) {
    if (e instanceof FontError) return; // reported by the font rules, at the key
    throw e;
  }
  checkGlyphs(project, book, diags);
  checkPosters(project, book, diags);
}
