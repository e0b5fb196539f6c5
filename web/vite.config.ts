// Builds the web application into web/dist, which `haven serve` serves from /.
// Hashed file names under assets/ let the server cache them for a year.
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Everything as files: the Content-Security-Policy allows no inline script or style.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev` against a `haven serve` on the default port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
