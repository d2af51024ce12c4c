/**
 * @module bench/lib/paths
 * Where the compiled harness finds the repository's files, whatever directory it is run from.
 * This file compiles to dist/bench/lib/paths.js, three levels below the repository root.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export const paths = {
  root,
  /** The `tidings` CLI as built by `npm run build`. */
  cli: join(root, 'dist/src/main/cli.js'),
  results: join(root, 'bench/results'),
  profiles: join(root, 'bench/results/profiles'),
  /** A helper process's compiled entry (bench/children/NAME.ts). */
  child: (name: string): string => fileURLToPath(new URL(`../children/${name}.js`, import.meta.url)),
};
