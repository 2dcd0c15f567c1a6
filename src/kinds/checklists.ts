import type { KindModule } from '../build/kind.js';

/** Placeholder until this kind is implemented. */
export const checklistsKind: KindModule = { kind: 'checklists', jobs: () => [] };
