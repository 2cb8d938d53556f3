import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer build: served by `retrace serve` and by Electron's app:// protocol.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  // ES-module workers, so the layout worker loads ELK as its own chunk, only when it needs it.
  worker: { format: 'es' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
  },
});
