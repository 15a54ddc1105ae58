// Where the shipped data lives: the package root holds schemas/, templates/ and samples/.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Package root, found from this module's location (src/ under vitest, dist/ when built). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMAS_DIR = path.join(PACKAGE_ROOT, 'schemas');
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
export const RULES_DIR = path.join(SCHEMAS_DIR, 'rules');
