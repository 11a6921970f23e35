import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// No node imports here: this file sits under renderer/, which may import only shared (boundaries test).
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root,
  // Relative asset URLs: the same build loads from file:// in Electron and from `sluice serve`.
  base: './',
  plugins: [react()],
  build: {
    outDir: `${root}../dist/renderer`,
    emptyOutDir: true,
    target: 'chrome120',
    // The strict CSP allows no inline script, so no injected polyfill either.
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
});
