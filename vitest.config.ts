import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // LibreOffice conversions and PDF rendering are CPU-heavy; two cores.
    maxWorkers: 2,
  },
});
