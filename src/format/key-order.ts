import type { SourceKind } from '../load/project-loader.js';

/**
 * Key order of a mapping, as in the contract (docs/format.md) and the schemas. Keys not listed
 * keep their relative order after the listed ones. `nested` applies to the value of a key:
 * to the mapping itself, or to every mapping in a sequence.
 */
export interface KeyOrder {
  keys: readonly string[];
  nested?: Readonly<Record<string, KeyOrder>>;
}

const LEVEL: KeyOrder = { keys: ['label', 'points'] };
const RATING: KeyOrder = { keys: ['label', 'min'] };

const CHECKLIST_ITEM: KeyOrder = {
  // The contract's order; the scoring keys (deduct_per_finding, per_occurrence) stay next to points.
  keys: ['no', 'text', 'points', 'deduct_per_finding', 'per_occurrence', 'levels', 'veto', 'note', 'standard', 'method', 'evidence'],
  nested: { levels: LEVEL, evidence: { keys: ['metric', 'full_at', 'pass_at', 'veto_above', 'deduct_per', 'window', 'department'] } },
};

/** weighted parts nest: the same order at every depth. */
const PART: KeyOrder = {
  keys: ['name', 'weight', 'parts', 'ballots', 'input', 'section', 'percentage_points', 'note'],
  get nested() { return { parts: PART, ballots: { keys: ['label', 'value'] } }; },
};

export const KEY_ORDER: Record<SourceKind, KeyOrder> = {
  project: {
    keys: ['organization', 'code_prefix', 'layer', 'locale', 'date', 'hotlines', 'evaluation_url', 'site_url', 'site_qr', 'poster', 'departments', 'fonts', 'systems', 'notes', 'adopted', 'planned', 'targets', 'evidence'],
    nested: {
      hotlines: { keys: ['service', 'complaint'] },
      poster: { keys: ['size', 'max_size', 'min_pt', 'max_pt'] },
      departments: { keys: ['id', 'name', 'window', 'phone'] },
      fonts: { keys: ['title', 'heading', 'body'] },
      systems: { keys: ['key', 'code', 'name'] },
      adopted: { keys: ['code', 'title', 'level', 'adoption', 'system', 'category', 'status'] },
      planned: { keys: ['title', 'level', 'system', 'category', 'owner'] },
      targets: { keys: ['satisfaction_rate', 'good_rate', 'evaluation_rate', 'on_time_rate', 'on_site_rate', 'revisit_rate', 'complaint_reply_rate', 'standard_coverage', 'implementation_rate'] },
      evidence: { keys: ['bad_review', 'complaint_reply_days', 'complaint_reply_days_by_channel'], nested: { bad_review: { keys: ['file_days', 'contact_days', 'simple_days', 'complex_days', 'revisit_days'] } } },
    },
  },
  standard: {
    keys: ['code', 'title', 'category', 'system', 'status', 'draft_stage', 'issued', 'effective', 'replaces', 'changes', 'references', 'owner', 'english_title', 'ics', 'ccs', 'filing_no', 'proposer', 'drafters'],
    nested: { drafters: { keys: ['units', 'people'] } },
  },
  item: {
    // The nine disclosures first; materials_note (a normkit addition) stays next to materials.
    keys: ['code', 'name', 'basis', 'conditions', 'process', 'materials', 'materials_note', 'time_limit', 'fee', 'result',
      'department', 'type', 'window', 'location', 'hours', 'phone', 'online_url', 'visits', 'commitment',
      'service_objects', 'channels', 'faq', 'base_code', 'implementation_code', 'level', 'implementer', 'co_departments',
      'intermediary_services', 'cross_region', 'online', 'supervision_phone', 'platform', 'poster'],
    nested: {
      poster: { keys: ['basis', 'materials_note', 'commitment'] },
      process: { keys: ['step', 'detail', 'days'] },
      materials: { keys: ['name', 'copies', 'originals', 'photocopies', 'form', 'required', 'note', 'source', 'filling_guide'] },
      time_limit: { keys: ['legal_days', 'promised_days', 'unit', 'note', 'legal_note', 'promised_note'] },
      implementer: { keys: ['name', 'credit_code'] },
      online: { keys: ['handled', 'appointment', 'payment', 'delivery'] },
      fee: { keys: ['charged', 'standard', 'basis'] },
      faq: { keys: ['q', 'a'] },
    },
  },
  checklist: {
    keys: ['id', 'title', 'description', 'mode', 'total', 'base', 'floor', 'cap', 'components', 'parts', 'ratings',
      'veto_effect', 'valid_years', 'escalation', 'sections'],
    nested: {
      components: { keys: ['name', 'points'] },
      parts: PART,
      escalation: { keys: ['name', 'items', 'steps'], nested: { steps: { keys: ['count', 'sanction'] } } },
      ratings: RATING,
      sections: { keys: ['title', 'items'], nested: { items: CHECKLIST_ITEM } },
    },
  },
  result: {
    // scores, self_scores and components are keyed by item number or name: their order is the author's.
    // parts (weighted inputs) are keyed by part name, like components
    keys: ['checklist', 'subject', 'assessed', 'period', 'assessors', 'default', 'scores', 'self_scores', 'components', 'parts',
      'remarks', 'appeal', 'revoked'],
    nested: {
      appeal: { keys: ['date', 'reason', 'decision', 'revised_score'] },
      revoked: { keys: ['date', 'reason'] },
    },
  },
};
