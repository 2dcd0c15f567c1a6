import type { CheckedSources } from '../model/checked.js';

export type { Checked, CheckedStandard } from '../model/checked.js';

/** What cross-file rules see: only sources that passed their schemas. */
export type RuleContext = CheckedSources;

/** A named rule over the checked project; one module per concern, like lint rules. */
export type Rule = (ctx: RuleContext) => void;
