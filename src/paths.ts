import { fileURLToPath } from 'node:url';

/** The normkit package folder (holds schemas/, templates/, standards/), same from src/ and dist/. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SCHEMA_DIR = fileURLToPath(new URL('../schemas/', import.meta.url));
export const TEMPLATE_DIR = fileURLToPath(new URL('../templates/', import.meta.url));
export const SAMPLE_DIR = fileURLToPath(new URL('../standards/', import.meta.url));
/** Files `normkit init` copies into a new project (a small project that validates and builds as is). */
export const SCAFFOLD_DIR = fileURLToPath(new URL('../scaffold/', import.meta.url));
