import { catalogKind } from '../kinds/catalog.js';
import { standardsKind } from '../kinds/standards.js';
import type { KindModule } from './kind.js';

/** Every output kind, in build order; later issues add theirs here. */
export const KINDS: KindModule[] = [catalogKind, standardsKind];
