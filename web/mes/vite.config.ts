import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `vite` (dev) proxies the API like the production server (web/ui/server/serveApp.ts) does.
const gateway = 'http://localhost:4000';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    port: 3002,
    proxy: { '/graphql': { target: gateway, ws: true }, '/files': gateway },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    // the one large chunk is the 3D viewer (three.js), loaded only on a job page
    chunkSizeWarningLimit: 600,
  },
});
