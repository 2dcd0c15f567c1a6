import { fileURLToPath } from 'node:url';

/** The normkit package folder (holds schemas/, templates/, standards/), same from src/ and dist/. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SCHEMA_DIR = fileURLToPath(new URL('../schemas/', import.meta.url));
export const TEMPLATE_DIR = fileURLToPath(new URL('../templates/', import.meta.url));
export const SAMPLE_DIR = fileURLToPath(new URL('../standards/', import.meta.url));
