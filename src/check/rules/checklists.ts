import { normalizeStandardNumber } from '../../model/standard-number.js';
import { cents, formatCents } from '../../scoring/decimal.js';
import type { Rule } from '../context.js';

/** Checklists: unique ids and numbers, points that add up, descending ratings, known standards. */
export const checklistRules: Rule = (ctx) => {
  const { diags } = ctx;
  // positions only when reported: finding one re-parses the file's syntax tree
  const firstById = new Map<string, (typeof ctx.checklists)[number]['src']>();
  const codes = new Set(ctx.standards.map((s) => normalizeStandardNumber(s.data.code)));
  for (const { src, data } of ctx.checklists) {
    const first = firstById.get(data.id);
    if (first) {
      diags.error(src.file, src.valueAt(['id']), 'duplicate-checklist-id', `考评标准 id“${data.id}”与 ${first.file}:${first.valueAt(['id'])?.line ?? 1} 重复。请修改其中一个。`);
    } else firstById.set(data.id, src);

    const numbers = new Map<number, readonly (string | number)[]>();
    let itemCents = 0;
    data.sections.forEach((section, si) => {
      section.items.forEach((item, ii) => {
        const at = ['sections', si, 'items', ii] as const;
        const prev = numbers.get(item.no);
        if (prev) {
          diags.error(src.file, src.valueAt([...at, 'no']), 'duplicate-checklist-item-no',
            `条目序号 ${item.no} 与第 ${src.valueAt([...prev, 'no'])?.line ?? 1} 行重复。序号在同一考评标准中应唯一：请重新编号。`);
        } else numbers.set(item.no, at);

        if (data.mode === 'award') {
          if (item.points === undefined) {
            diags.error(src.file, src.mapAt([...at]), 'missing-points', `赋分制（award）条目 ${item.no} 缺少 points（分值）。请补上。`);
          } else itemCents += cents(item.points);
          item.levels?.forEach((lv, li) => {
            if (item.points !== undefined && lv.points > item.points) {
              diags.error(src.file, src.valueAt([...at, 'levels', li, 'points']), 'level-exceeds-points',
                `等级“${lv.label}”的 ${lv.points} 分超过条目分值 ${item.points} 分。请改正。`);
            }
          });
          if (item.per_occurrence !== undefined) {
            diags.error(src.file, src.keyAt([...at, 'per_occurrence']), 'mode-mismatch', 'per_occurrence 只用于扣分制（deduct）。赋分制条目请用 points 和 deduct_per_finding。');
          }
        } else {
          if (item.per_occurrence === undefined) {
            diags.error(src.file, src.mapAt([...at]), 'missing-per-occurrence', `扣分制（deduct）条目 ${item.no} 缺少 per_occurrence（每次扣分为负数，加分为正数）。请补上。`);
          }
          for (const key of ['points', 'levels', 'deduct_per_finding', 'veto'] as const) {
            if (item[key] !== undefined) {
              diags.error(src.file, src.keyAt([...at, key]), 'mode-mismatch', `${key} 只用于赋分制（award）。扣分制条目请用 per_occurrence。`);
            }
          }
        }
        const cited = item.standard === undefined ? undefined : normalizeStandardNumber(item.standard);
        if (cited !== undefined && !codes.has(cited) && !ctx.invalid?.standardCodes.has(cited)) {
          diags.error(src.file, src.valueAt([...at, 'standard']), 'unknown-standard',
            `条目引用的标准 ${item.standard} 不在本项目的 catalog 中。请改为项目中的标准编号，或删除 standard。`);
        }
      });
    });

    if (data.mode === 'award' && data.total !== undefined) {
      const comp = (data.components ?? []).reduce((s, c) => s + cents(c.points), 0);
      if (itemCents + comp !== cents(data.total)) {
        diags.error(src.file, src.valueAt(['total']), 'total-mismatch',
          `各条目分值之和 ${formatCents(itemCents)} 加上组成部分 ${formatCents(comp)} 等于 ${formatCents(itemCents + comp)}，与总分 ${data.total} 不符。请核对条目分值或总分。`);
      }
    }
    const ratings = data.ratings ?? [];
    for (let i = 1; i < ratings.length; i++) {
      if (ratings[i]!.min >= ratings[i - 1]!.min) {
        diags.error(src.file, src.valueAt(['ratings', i, 'min']), 'ratings-not-descending',
          `等次门槛应从高到低排列：“${ratings[i]!.label}”的 ${ratings[i]!.min} 不低于上一个等次的 ${ratings[i - 1]!.min}。请调整顺序或数值。`);
      }
    }
  }
};
