/**
 * The dashboard's own build: `vite build web` writes static files to web/dist, which Tidings serves
 * at `/` (src/http/dashboard.ts). Everything is bundled, nothing is fetched from a CDN, and no
 * script is inlined, so the page works offline under a CSP of `script-src 'self'`.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be the only inline-able script; every browser we target has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    // `npx vite web` during development, against a Tidings on the default port.
    proxy: { '/v1': 'http://127.0.0.1:3000', '/metrics': 'http://127.0.0.1:3000' },
  },
});
