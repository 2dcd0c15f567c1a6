import { catalogKind } from '../kinds/catalog.js';
import { checklistsKind } from '../kinds/checklists.js';
import { guidesKind } from '../kinds/guides.js';
import { postersKind } from '../kinds/posters.js';
import { searchKind } from '../kinds/search.js';
import { standardsKind } from '../kinds/standards.js';
import type { KindModule } from './kind.js';

/** Every output kind, in build order. */
export const KINDS: KindModule[] = [catalogKind, standardsKind, postersKind, guidesKind, checklistsKind, searchKind];
