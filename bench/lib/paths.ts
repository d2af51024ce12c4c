/**
 * @module bench/lib/paths
 * Where the compiled harness finds the repository's files, whatever directory it is run from.
 * This file compiles to dist/bench/lib/paths.js, three levels below the repository root; run from
 * source (vitest, through the chaos suites in test/chaos) it is two levels below.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const compiled = /\/dist\/bench\/lib\/[^/]+$/.test(new URL(import.meta.url).pathname);
const root = fileURLToPath(new URL(compiled ? '../../../' : '../../', import.meta.url));

export const paths = {
  root,
  /** The `tidings` CLI as built by `npm run build`. */
  cli: join(root, 'dist/src/main/cli.js'),
  results: join(root, 'bench/results'),
  profiles: join(root, 'bench/results/profiles'),
  /** A helper process's compiled entry (bench/children/NAME.ts). */
  child: (name: string): string => fileURLToPath(new URL(`../children/${name}.js`, import.meta.url)),
};
