import type { Rule } from '../context.js';
import { isRealDate } from './dates.js';

/** project.yaml: unique department ids and system keys, a real version date. */
export const projectRules: Rule = (ctx) => {
  if (!ctx.project) return;
  const { src, data } = ctx.project;
  const seen = new Map<string, number>();
  data.departments.forEach((d, i) => {
    if (seen.has(d.id)) {
      ctx.diags.error(src.file, src.valueAt(['departments', i, 'id']), 'duplicate-department',
        `部门 id“${d.id}”与第 ${seen.get(d.id)! + 1} 个部门重复。请修改其中一个。`);
    } else seen.set(d.id, i);
  });
  const keys = new Map<string, number>();
  (data.systems ?? []).forEach((s, i) => {
    if (keys.has(s.key)) {
      ctx.diags.error(src.file, src.valueAt(['systems', i, 'key']), 'duplicate-system',
        `子体系“${s.key}”重复定义。请删除或改名。`);
    } else keys.set(s.key, i);
  });
  if (data.date !== undefined && !isRealDate(data.date)) {
    ctx.diags.error(src.file, src.valueAt(['date']), 'invalid-date', `日期 ${data.date} 不存在。请检查年月日。`);
  }
};
