import type { Rule } from '../context.js';
import { isRealDate } from './dates.js';
import { DEFAULT_SYSTEMS } from '../../model/domain.js';
import { isWellFormedStandardNumber, normalizeStandardNumber } from '../../model/standard-number.js';

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
  // 有标采标 and planned standards: known systems, well-formed dated numbers, not one of the office's own
  const systemKeys = new Set((data.systems ?? DEFAULT_SYSTEMS).map((s) => s.key));
  const own = new Set(ctx.standards.map((s) => normalizeStandardNumber(s.data.code)));
  const adoptedSeen = new Map<string, number>();
  const checkSystem = (list: 'adopted' | 'planned', i: number, system: string): void => {
    if (!systemKeys.has(system)) ctx.diags.error(src.file, src.valueAt([list, i, 'system']), 'unknown-system',
      `子体系“${system}”未在 project.yaml 的 systems 中定义。可选：${[...systemKeys].join(' | ')}。`);
  };
  (data.adopted ?? []).forEach((a, i) => {
    checkSystem('adopted', i, a.system);
    const code = normalizeStandardNumber(a.code);
    if (!isWellFormedStandardNumber(a.code, { yearRequired: true })) {
      ctx.diags.error(src.file, src.valueAt(['adopted', i, 'code']), 'adopted-number',
        `采用的标准编号“${a.code}”格式不对：应为“代号 顺序号—年份”，如 GB/T 32169.2—2015。`);
    } else if (own.has(code)) {
      ctx.diags.error(src.file, src.valueAt(['adopted', i, 'code']), 'adopted-own',
        `${code} 是本项目自己的标准（catalog/ 中已有），不应再列为采用的标准。请从 adopted 中删除。`);
    } else if (adoptedSeen.has(code)) {
      ctx.diags.error(src.file, src.valueAt(['adopted', i, 'code']), 'adopted-duplicate',
        `${code} 已在 adopted 的第 ${adoptedSeen.get(code)! + 1} 项列出。请删除重复的一项。`);
    } else adoptedSeen.set(code, i);
  });
  (data.planned ?? []).forEach((x, i) => checkSystem('planned', i, x.system));
  if (data.date !== undefined && !isRealDate(data.date)) {
    ctx.diags.error(src.file, src.valueAt(['date']), 'invalid-date', `日期 ${data.date} 不存在。请检查年月日。`);
  }
};
