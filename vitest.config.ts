import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Builds dist/ once: the restart suite runs the real `tidings` binary in child processes.
    globalSetup: ['test/support/build.ts'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Suites start real servers on loopback; keep parallelism modest on a 2-core machine.
    maxWorkers: 2,
  },
});
