#!/usr/bin/env node
// The published entry: run the compiled CLI (`npm run build` produces dist/).
await import('../dist/src/main/cli.js');
