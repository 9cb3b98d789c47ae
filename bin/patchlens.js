#!/usr/bin/env node
// The compiled CLI lives in out/ (built by `npm install` through `prepare`).
import { main } from '../out/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`patchlens: internal error: ${e && e.stack ? e.stack : e}\n`); process.exitCode = 2; },
);
