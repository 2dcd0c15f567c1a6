import type { ChecklistData, ChecklistItemData, ResultData, ScoreEntry, WeightedPartData } from '../../model/data.js';
import type { Rule } from '../context.js';
import { ratingRegister } from '../../scoring/register.js';
import { isRealDate } from './dates.js';

/** Results: a known checklist, known items, scores within points, levels defined, nothing missing. */
export const resultRules: Rule = (ctx) => {
  const { diags } = ctx;
  const checklists = new Map(ctx.checklists.map((c) => [c.data.id, c.data]));
  for (const { src, data } of ctx.results) {
    if (!isRealDate(data.assessed)) diags.error(src.file, src.valueAt(['assessed']), 'invalid-date', `日期 ${data.assessed} 不存在。请检查年月日。`);
    if (data.appeal) {
      if (!isRealDate(data.appeal.date)) diags.error(src.file, src.valueAt(['appeal', 'date']), 'invalid-date', `日期 ${data.appeal.date} 不存在。请检查年月日。`);
      else if (data.appeal.date < data.assessed) diags.error(src.file, src.valueAt(['appeal', 'date']), 'appeal-before-assessment', `复核日期 ${data.appeal.date} 早于考评日期 ${data.assessed}。请改正其中一个。`);
    }
    if (data.revoked) {
      if (!isRealDate(data.revoked.date)) diags.error(src.file, src.valueAt(['revoked', 'date']), 'invalid-date', `日期 ${data.revoked.date} 不存在。请检查年月日。`);
      else if (data.revoked.date < data.assessed) diags.error(src.file, src.valueAt(['revoked', 'date']), 'revoked-before-assessment', `撤销日期 ${data.revoked.date} 早于考评日期 ${data.assessed}。请改正其中一个。`);
    }
    const cl = checklists.get(data.checklist);
    if (!cl && ctx.invalid?.checklistIds.has(data.checklist)) continue; // its checklist's own errors come first
    if (!cl) {
      diags.error(src.file, src.valueAt(['checklist']), 'unknown-checklist',
        `考评标准“${data.checklist}”不在本项目中。可选：${[...checklists.keys()].join(' | ') || '（项目中还没有考评标准）'}。`);
      continue;
    }
    const items = new Map<string, ChecklistItemData>();
    for (const s of cl.sections) for (const it of s.items) items.set(String(it.no), it);

    for (const field of ['scores', 'self_scores'] as const) {
      const map = data[field] ?? {};
      for (const [no, entry] of Object.entries(map)) {
        const at = [field, no];
        const item = items.get(no);
        if (!item) {
          diags.error(src.file, src.keyAt(at), 'unknown-checklist-item', `考评标准“${cl.id}”中没有序号为 ${no} 的条目。请核对序号。`);
          continue;
        }
        checkEntry(entry, item, cl.mode === 'weighted' ? (item.points !== undefined ? 'award' : 'deduct') : cl.mode, (path, rule, msg) => diags.error(src.file, src.valueAt([...at, ...path]), rule, msg));
      }
    }

    if (cl.mode !== 'deduct' && data.default !== 'full') {
      const scored = data.scores ?? {};
      // weighted: only the items with points need a score (the others are counts, 0 when absent)
      // an item scored from evidence (`evidence:`) is computed, never typed
      const missing = [...items.keys()].filter((no) => !(no in scored) && !items.get(no)!.evidence && (cl.mode === 'award' || items.get(no)!.points !== undefined));
      if (missing.length > 0) {
        diags.error(src.file, data.scores ? src.keyAt(['scores']) : src.mapAt([]), 'missing-score',
          `缺少条目 ${missing.join('、')} 的得分。请逐项打分；如未列出的条目均得满分，请加上 default: full。`);
      }
    }
    if (cl.mode === 'weighted') checkPartInputs(cl, data, src, diags);
    else if (data.parts !== undefined) {
      diags.error(src.file, src.keyAt(['parts']), 'mode-mismatch', `parts 只用于加权制（weighted）考评标准，“${cl.id}”是${cl.mode === 'award' ? '赋分制' : '扣分制'}。请删除 parts。`);
    }
    const comps = new Map((cl.components ?? []).map((c) => [c.name, c.points]));
    for (const [name, v] of Object.entries(data.components ?? {})) {
      const max = comps.get(name);
      if (max === undefined) {
        diags.error(src.file, src.keyAt(['components', name]), 'unknown-component',
          `考评标准“${cl.id}”没有名为“${name}”的组成部分。可选：${[...comps.keys()].join(' | ') || '（无）'}。`);
      } else if (v > max) {
        diags.error(src.file, src.valueAt(['components', name]), 'score-exceeds-points', `“${name}”得分 ${v} 超过满分 ${max}。请改正。`);
      }
    }
    if (cl.mode === 'award' && data.default !== 'full') {
      const missing = [...comps.keys()].filter((n) => !(n in (data.components ?? {})));
      if (missing.length > 0) {
        diags.error(src.file, data.components ? src.keyAt(['components']) : src.mapAt([]), 'missing-score',
          `缺少组成部分“${missing.join('”“')}”的得分。请在 components 中填写；如均得满分，请加上 default: full。`);
      }
    }
  }
};

type Report = (path: string[], rule: string, message: string) => void;

/** valid_years: a warning on the latest rated result of each subject whose rating ran out or soon will. */
export const registerRules: Rule = (ctx) => {
  const asOf = ctx.project?.data.date ?? ctx.standards.map((s) => s.data.issued ?? '').sort().pop() ?? '';
  if (!asOf) return;
  for (const { data: cl } of ctx.checklists) {
    if (cl.valid_years === undefined) continue;
    const mine = ctx.results.filter((r) => r.data.checklist === cl.id);
    let entries;
    try {
      entries = ratingRegister(cl, mine.map((r, i) => ({ data: r.data, ref: String(i) })), asOf);
    } catch {
      continue; // results the rules above reject have their own errors
    }
    for (const e of entries) {
      if (e.status !== 'expired' && e.status !== 'expiring') continue;
      const { src } = mine[Number(e.ref)]!;
      ctx.diags.warn(src.file, src.valueAt(['assessed']), 'rerating-due',
        `${e.subject}的“${e.rating}”有效期至 ${e.validUntil}（${cl.valid_years}年），${e.status === 'expired' ? '已过期' : '即将到期'}（以项目日期 ${asOf} 计）。请组织重新评定，并把新的考评结果加入 results/。`);
    }
  }
};

/** weighted: every ballot or score part has its input, with known grades, whole counts and 0–100 scores. */
function checkPartInputs(cl: ChecklistData, data: ResultData, src: Parameters<Rule>[0]['results'][number]['src'], diags: Parameters<Rule>[0]['diags']): void {
  const leaves = new Map<string, WeightedPartData>();
  const walk = (ps: WeightedPartData[] | undefined) => ps?.forEach((p) => (p.parts?.length ? walk(p.parts) : (p.ballots?.length || p.input === 'score') && leaves.set(p.name, p)));
  walk(cl.parts);
  const given = data.parts ?? {};
  for (const [name, v] of Object.entries(given)) {
    const part = leaves.get(name);
    if (!part) {
      diags.error(src.file, src.keyAt(['parts', name]), 'unknown-part',
        `考评标准“${cl.id}”没有需要填写的部分“${name}”。可选：${[...leaves.keys()].join(' | ') || '（无）'}。`);
    } else if (part.ballots?.length) {
      if (typeof v === 'number') {
        diags.error(src.file, src.valueAt(['parts', name]), 'invalid-ballots', `“${name}”按票数计分，请按档次填写票数，如 { ${part.ballots.map((b) => `${b.label}: 0`).join(', ')} }。`);
        continue;
      }
      const labels = part.ballots.map((b) => b.label);
      for (const [label, n] of Object.entries(v)) {
        if (!labels.includes(label)) diags.error(src.file, src.keyAt(['parts', name, label]), 'unknown-ballot-grade', `“${name}”没有“${label}”这一档。可选：${labels.join(' | ')}。`);
        else if (!Number.isInteger(n) || n < 0) diags.error(src.file, src.valueAt(['parts', name, label]), 'invalid-ballots', `“${name}”的“${label}”票数应为非负整数。请改正。`);
      }
      if (Object.values(v).every((n) => n === 0)) diags.error(src.file, src.valueAt(['parts', name]), 'invalid-ballots', `“${name}”一张票也没有，无法计分。请填写收回的票数。`);
    } else if (typeof v !== 'number' || v < 0 || v > 100) {
      diags.error(src.file, src.valueAt(['parts', name]), 'invalid-score', `“${name}”应填写 0 至 100 的得分。请改正。`);
    }
  }
  const missing = [...leaves.keys()].filter((n) => !(n in given));
  if (missing.length) {
    diags.error(src.file, data.parts ? src.keyAt(['parts']) : src.mapAt([]), 'missing-score',
      `缺少“${missing.join('”“')}”的${missing.every((n) => leaves.get(n)!.ballots?.length) ? '票数' : '得分或票数'}。请在 parts 中按名称填写。`);
  }
}

function checkEntry(entry: ScoreEntry, item: ChecklistItemData, mode: 'award' | 'deduct', report: Report): void {
  if (mode === 'deduct') {
    if (typeof entry === 'number') {
      if (!Number.isInteger(entry)) report([], 'invalid-score', `扣分制条目 ${item.no} 应填写发生次数（非负整数）。`);
      else if (item.levels?.length) report([], 'missing-level', `扣分制条目 ${item.no} 分情节轻重（${item.levels.map((l) => l.label).join(' | ')}）。请写成 { level: 情节, count: 次数 }。`);
      return;
    }
    if ('veto' in entry) {
      if (!item.veto) report(['veto'], 'not-a-veto-item', `条目 ${item.no} 不是一票否决项。请填写发生次数。`);
      return;
    }
    if ('findings' in entry) {
      report(['findings'], 'invalid-score', `扣分制条目 ${item.no} 应填写发生次数：写数字，或 { count: 次数 }。`);
      return;
    }
    const e = entry as { count?: number; level?: string; exempt?: number; reason?: string };
    const known = item.levels?.map((l) => l.label) ?? [];
    if (known.length && e.level === undefined) report([], 'missing-level', `扣分制条目 ${item.no} 分情节轻重。请加上 level（可选：${known.join(' | ')}）。`);
    if (e.level !== undefined && !known.includes(e.level)) {
      report(['level'], 'unknown-level', known.length ? `条目 ${item.no} 没有情节“${e.level}”。可选：${known.join(' | ')}。` : `条目 ${item.no} 没有定义情节档次（levels）。请删除 level，只写次数。`);
    }
    if ((e.exempt ?? 0) > (e.count ?? 1)) report(['exempt'], 'exempt-exceeds-count', `条目 ${item.no} 免扣 ${e.exempt} 次，多于发生的 ${e.count ?? 1} 次。请改正。`);
    if ((e.exempt ?? 0) > 0 && e.reason === undefined) report(['exempt'], 'exempt-without-reason', `条目 ${item.no} 有免扣的次数，但没有写 reason（免扣理由，如“自查自纠，挽回重大损失”）。请补上。`);
    return;
  }
  const points = item.points ?? 0;
  if (typeof entry === 'number') {
    if (entry > points) report([], 'score-exceeds-points', `条目 ${item.no} 得分 ${entry} 超过其分值 ${points}。请改正。`);
  } else if ('level' in entry) {
    if (!item.levels?.some((l) => l.label === entry.level)) {
      const known = item.levels?.map((l) => l.label).join(' | ');
      report(['level'], 'unknown-level', known ? `条目 ${item.no} 没有等级“${entry.level}”。可选：${known}。` : `条目 ${item.no} 没有定义等级（levels）。请直接填写得分。`);
    }
  } else if ('findings' in entry) {
    if (item.deduct_per_finding === undefined) {
      report(['findings'], 'findings-without-deduction', `条目 ${item.no} 没有设定 deduct_per_finding（每处扣分），不能按发现处数计分。请直接填写得分，或在考评标准中补上 deduct_per_finding。`);
    }
  } else if ('veto' in entry) {
    if (!item.veto) report(['veto'], 'not-a-veto-item', `条目 ${item.no} 不是一票否决项。请直接填写得分。`);
  } else {
    report([], 'invalid-score', `赋分制条目 ${item.no} 应填写得分、{ level }、{ findings } 或 { veto: true }；count 和 exempt 只用于扣分制。`);
  }
}
