import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer build: served by `retrace serve` and by Electron's app:// protocol.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
  },
});
