#!/usr/bin/env node
// The CLI, bundled by `npm install` (prepare: tsc, then scripts/bundle.mjs)
// into dist/cli/; the unbundled out/ build serves when the bundle is missing.
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/cli/main.js', import.meta.url);
const { main } = await import(existsSync(bundled) ? bundled.href : '../out/src/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`patchlens: internal error: ${e && e.stack ? e.stack : e}\n`); process.exitCode = 2; },
);
