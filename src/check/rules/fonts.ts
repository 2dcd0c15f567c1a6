import { FontError, loadFont } from '../../typography/fonts.js';
import type { Rule } from '../context.js';

/**
 * project.yaml `fonts:`: each configured file exists inside the project, is a TTF/OTF font and
 * has Chinese glyphs. Checked here (with the key's position) so `validate` says so too, and a
 * build never starts with a font it cannot use.
 */
export const fontRules: Rule = (ctx) => {
  const fonts = ctx.project?.data.fonts;
  if (!ctx.project || !fonts || ctx.root === undefined) return;
  const { src } = ctx.project;
  for (const role of ['title', 'heading', 'body'] as const) {
    const name = fonts[role];
    if (name === undefined) continue;
    try {
      loadFont(role, name, ctx.root);
    } catch (e) {
      if (!(e instanceof FontError)) throw e;
      ctx.diags.error(src.file, src.valueAt(['fonts', role]), 'font-invalid',
        `${e.message}（fonts.${role}）。请改正 project.yaml 中的 fonts 设置，或删除它以使用内置字体。`);
    }
  }
};
