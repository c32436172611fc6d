import { defineConfig } from 'vite';

// Static files served by CoverageOracle (and the devnet) at "/"; relative asset paths so any mount point works.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
  },
});
