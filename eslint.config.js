// Lint: typescript-eslint's recommended rules, plus the layering rules from DESIGN.md §2.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, forbidden) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((group) => ({
          group: [group],
          message: 'This layer may not import that (DESIGN.md §2).',
        })),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  layer(
    ['src/core/**/*.ts'],
    [
      'node:*',
      '**/ports/**',
      '**/app/**',
      '**/storage/**',
      '**/http/**',
      '**/providers/**',
      '**/queue/**',
      '**/main/**',
    ],
  ),
  layer(
    ['src/ports/**/*.ts'],
    ['**/app/**', '**/storage/**', '**/http/**', '**/providers/**', '**/queue/**', '**/main/**'],
  ),
  layer(
    ['src/app/**/*.ts'],
    ['**/storage/**', '**/http/**', '**/providers/**', '**/queue/**', '**/main/**', '**/cli/**'],
  ),
  layer(
    ['src/content/**/*.ts'],
    ['**/app/**', '**/storage/**', '**/http/**', '**/providers/**', '**/queue/**', '**/main/**'],
  ),
  layer(['src/providers/**/*.ts'], ['**/app/**', '**/storage/**', '**/http/**', '**/queue/**', '**/main/**']),
  layer(['src/storage/**/*.ts', 'src/queue/**/*.ts'], ['**/app/**', '**/http/**', '**/providers/**', '**/main/**']),
  // The dashboard talks to the HTTP API only, never to the server's code.
  layer(['web/**/*.ts', 'web/**/*.tsx'], ['**/src/**', '../src/**', '../../src/**']),
  // Adapters at the edge: the application's webhook sender, the limit counters.
  layer(
    ['src/webhooks/**/*.ts', 'src/limits/**/*.ts'],
    ['**/app/**', '**/storage/**', '**/http/**', '**/providers/**', '**/queue/**', '**/main/**'],
  ),
  layer(['src/http/**/*.ts'], ['**/storage/**', '**/providers/**', '**/queue/**', '**/main/**']),
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
