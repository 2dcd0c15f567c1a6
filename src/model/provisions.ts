/** GB/T 1.1 附录C verb forms. Words that merely contain the characters (应急, 相应, 许可, 可能…) do not count. */
export type Provision = 'requirement' | 'recommendation' | 'permission';

const REQUIREMENT = /(?<![相对响适供反回效感呼顺报])(不应|应当|应)(?![急用变答聘届征邀])/;
const RECOMMENDATION = /(?<![事便适合])(不宜|宜)(?![人居宾])/;
const PERMISSION = /不必|可以|(?<![许认不即])可(?![能靠行视见持控信疑爱口观])/;

export function classifyProvision(sentence: string): Provision | undefined {
  if (REQUIREMENT.test(sentence)) return 'requirement';
  if (RECOMMENDATION.test(sentence)) return 'recommendation';
  const p = PERMISSION.exec(sentence);
  if (p && p[0]) return 'permission';
  return undefined;
}

const VERB_FORMS = new RegExp([REQUIREMENT, RECOMMENDATION, PERMISSION].map((r) => r.source).join('|'), 'g');

/** The verb forms of a sentence in order (应, 宜, 可以 …): a change among them changes the provision. */
export function provisionWords(sentence: string): string[] {
  return [...sentence.matchAll(VERB_FORMS)].map((m) => m[0]).filter(Boolean);
}
