/**
 * Vitest global setup: compile once so suites that spawn the real CLI run current code.
 * `TIDINGS_SKIP_BUILD=1` skips it for quick runs of unit suites that never start the binary.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env['TIDINGS_SKIP_BUILD'] === '1') return;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
