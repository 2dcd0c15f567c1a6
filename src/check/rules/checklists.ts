import { normalizeStandardNumber } from '../../model/standard-number.js';
import { cents, formatCents } from '../../scoring/decimal.js';
import type { ChecklistData, WeightedPartData } from '../../model/data.js';
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

        // weighted: an item with points is an award item, any other a deduct item
        if (data.mode === 'award' || (data.mode === 'weighted' && item.points !== undefined)) {
          if (item.points === undefined) {
            diags.error(src.file, src.mapAt([...at]), 'missing-points', `赋分制（award）条目 ${item.no} 缺少 points（分值）。请补上。`);
          } else itemCents += cents(item.points);
          item.levels?.forEach((lv, li) => {
            if (item.points !== undefined && lv.points > item.points) {
              diags.error(src.file, src.valueAt([...at, 'levels', li, 'points']), 'level-exceeds-points',
                `等级“${lv.label}”的 ${lv.points} 分超过条目分值 ${item.points} 分。请改正。`);
            } else if (lv.points < 0) {
              diags.error(src.file, src.valueAt([...at, 'levels', li, 'points']), 'negative-level',
                `赋分制（award）等级“${lv.label}”的得分不能为负数。请改为 0 至 ${item.points ?? '条目分值'} 之间的分数。`);
            }
          });
          if (item.per_occurrence !== undefined) {
            diags.error(src.file, src.keyAt([...at, 'per_occurrence']), 'mode-mismatch', 'per_occurrence 只用于扣分制（deduct）。赋分制条目请用 points 和 deduct_per_finding。');
          }
        } else {
          // a severity row carries its values in levels; a veto row needs no value at all
          if (item.per_occurrence === undefined && !item.levels?.length && !item.veto) {
            diags.error(src.file, src.mapAt([...at]), 'missing-per-occurrence', `扣分制（deduct）条目 ${item.no} 缺少 per_occurrence（每次扣分为负数，加分为正数）。请补上；分情节轻重的写 levels，一票否决项写 veto: true。`);
          }
          if (item.per_occurrence !== undefined && item.levels?.length) {
            diags.error(src.file, src.keyAt([...at, 'levels']), 'levels-and-per-occurrence', `扣分制条目 ${item.no} 同时写了 per_occurrence 和 levels。请只保留一种：按情节分档的写 levels（每档的 points 为每次分值）。`);
          }
          for (const key of ['points', 'deduct_per_finding'] as const) {
            if (item[key] !== undefined) {
              diags.error(src.file, src.keyAt([...at, key]), 'mode-mismatch', `${key} 只用于赋分制（award）。扣分制条目请用 per_occurrence 或 levels。`);
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
    for (let i = 0; i < ratings.length; i++) {
      const min = ratings[i]!.min;
      if (min === undefined) {
        if (i !== ratings.length - 1) {
          diags.error(src.file, src.mapAt(['ratings', i]), 'rating-without-min',
            `只有最后一个等次可以不写 min（表示其余得分都归入该等次）。请给“${ratings[i]!.label}”补上 min，或把它移到最后。`);
        }
        continue;
      }
      const prev = i > 0 ? ratings[i - 1]!.min : undefined;
      if (prev !== undefined && min >= prev) {
        diags.error(src.file, src.valueAt(['ratings', i, 'min']), 'ratings-not-descending',
          `等次门槛应从高到低排列：“${ratings[i]!.label}”的 ${min} 不低于上一个等次的 ${prev}。请调整顺序或数值。`);
      }
    }
    if (data.mode === 'weighted') checkParts(data, src, diags);
    else if (data.parts !== undefined) {
      diags.error(src.file, src.keyAt(['parts']), 'mode-mismatch', 'parts 只用于加权制（weighted）。请把 mode 改为 weighted，或删除 parts。');
    }
    if (data.mode !== 'deduct') {
      for (const key of ['floor', 'cap'] as const) {
        if (data[key] !== undefined) diags.error(src.file, src.keyAt([key]), 'mode-mismatch', `${key} 只用于扣分制（deduct）。${data.mode === 'award' ? '赋分制的满分由 total 给定' : '加权制的满分为100分'}，请删除 ${key}。`);
      }
    }
    if (data.floor !== undefined && data.cap !== undefined && data.floor >= data.cap) {
      diags.error(src.file, src.valueAt(['floor']), 'floor-above-cap', `最低分 floor ${data.floor} 不低于最高分 cap ${data.cap}。请改正其中一个。`);
    }
    (data.escalation ?? []).forEach((e, ei) => {
      e.items.forEach((no, ii) => {
        if (!numbers.has(no)) diags.error(src.file, src.valueAt(['escalation', ei, 'items', ii]), 'unknown-checklist-item', `累计处理“${e.name}”计次的条目 ${no} 不在本考评标准中。请核对序号。`);
      });
      for (let i = 1; i < e.steps.length; i++) {
        if (e.steps[i]!.count <= e.steps[i - 1]!.count) {
          diags.error(src.file, src.valueAt(['escalation', ei, 'steps', i, 'count']), 'escalation-not-ascending',
            `累计处理“${e.name}”的次数应从少到多：${e.steps[i]!.count} 不多于上一档的 ${e.steps[i - 1]!.count}。请调整顺序或数值。`);
        }
      }
    });
    if (data.veto_effect === 'lowest' && ratings.length === 0) {
      diags.error(src.file, src.valueAt(['veto_effect']), 'veto-effect-without-ratings', 'veto_effect: lowest 表示一票否决的评为最低等次，但本考评标准没有 ratings。请补上 ratings，或改为 void 或 last。');
    }
  }
};

type Src = Parameters<Rule>[0]['checklists'][number]['src'];
type Diags = Parameters<Rule>[0]['diags'];

/** weighted: weights of siblings sum to 100, each leaf has one source, each section belongs to one part. */
function checkParts(data: ChecklistData, src: Src, diags: Diags): void {
  if (!data.parts?.length) {
    diags.error(src.file, src.mapAt([]), 'missing-parts', '加权制（weighted）考评标准缺少 parts（各计分部分及权重）。请补上。');
    return;
  }
  const titles = new Set(data.sections.map((s) => s.title));
  const used = new Map<string, string>();
  const walk = (parts: WeightedPartData[], at: (string | number)[], parent: string) => {
    const sum = parts.reduce((s, p) => s + cents(p.weight), 0);
    if (sum !== 10000) {
      diags.error(src.file, src.keyAt([...at]), 'weights-not-100',
        `${parent}各部分的权重 ${parts.map((p) => `${p.name} ${p.weight}%`).join('、')} 合计 ${formatCents(sum)}%，应为 100%。请调整权重。`);
    }
    parts.forEach((p, i) => {
      const here = [...at, i];
      const sources = [p.parts?.length ? 'parts' : null, p.ballots?.length ? 'ballots' : null, p.input ? 'input' : null, p.section !== undefined ? 'section' : null].filter(Boolean);
      if (sources.length !== 1) {
        diags.error(src.file, src.mapAt(here), 'part-source',
          `计分部分“${p.name}”应恰好有 parts、ballots、input、section 中的一个（现有：${sources.join('、') || '无'}）。请只保留一个。`);
      }
      if (p.parts?.length) walk(p.parts, [...here, 'parts'], `“${p.name}”内`);
      if (p.section !== undefined) {
        if (!titles.has(p.section)) {
          diags.error(src.file, src.valueAt([...here, 'section']), 'unknown-section', `计分部分“${p.name}”引用的类别“${p.section}”不在 sections 中。可选：${[...titles].join(' | ')}。`);
        } else if (used.has(p.section)) {
          diags.error(src.file, src.valueAt([...here, 'section']), 'section-used-twice', `类别“${p.section}”已由计分部分“${used.get(p.section)}”计分。每个类别只能属于一个部分。`);
        } else used.set(p.section, p.name);
      }
      if (p.percentage_points && p.section === undefined) {
        diags.error(src.file, src.keyAt([...here, 'percentage_points']), 'part-source', `percentage_points 只用于引用 section 的扣分部分。请删除，或给“${p.name}”写上 section。`);
      }
      const labels = new Set<string>();
      p.ballots?.forEach((b, bi) => {
        if (labels.has(b.label)) diags.error(src.file, src.valueAt([...here, 'ballots', bi, 'label']), 'duplicate-ballot-grade', `“${p.name}”的档次“${b.label}”重复。请删除或改名。`);
        labels.add(b.label);
      });
    });
  };
  walk(data.parts, ['parts'], '');
  for (const [si, sec] of data.sections.entries()) {
    if (!used.has(sec.title)) {
      diags.error(src.file, src.valueAt(['sections', si, 'title']), 'section-without-part',
        `类别“${sec.title}”没有计入任何计分部分，它的条目不会影响总分。请在 parts 中加一个 section: ${sec.title} 的部分。`);
    }
  }
}
