import { defineConfig } from 'vite';

// Everything is bundled (no CDN, no outside fonts); hashed names under assets/
// let the server cache them as immutable.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  test: { include: ['src/**/*.test.ts'] },
} as never);
