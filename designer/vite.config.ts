import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The runtime serves `dist/` at `/`; in development Vite proxies the API to a local runtime.
export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
  build: {
    outDir: 'dist',
    // elkjs alone is ~1.4 MB; it is loaded lazily when the user asks for a layout.
    chunkSizeWarningLimit: 1600,
  },
});
