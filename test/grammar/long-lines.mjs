#!/usr/bin/env node
/**
 * The patch-mail grammar on hostile lines: 100,000-character lines of the
 * shapes its regexes look for (diffstat, trailers, subject prefixes,
 * quotes, headers) must tokenize in bounded time, without backtracking
 * blowups.  Uses vscode-textmate + vscode-oniguruma, the engine VS Code runs.
 * Fails when a line takes more than LIMIT_MS.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const tm = require('vscode-textmate');
const onig = require('vscode-oniguruma');
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const LIMIT_MS = 1000;

const wasm = readFileSync(join(dirname(require.resolve('vscode-oniguruma')), 'onig.wasm')).buffer;
await onig.loadWASM(wasm);
const registry = new tm.Registry({
  onigLib: Promise.resolve({ createOnigScanner: (p) => new onig.OnigScanner(p), createOnigString: (s) => new onig.OnigString(s) }),
  loadGrammar: async (scope) => (scope === 'text.patch-mail'
    ? tm.parseRawGrammar(readFileSync(join(root, 'syntaxes/patch-mail.tmLanguage.json'), 'utf8'), 'patch-mail.tmLanguage.json')
    : null),
});
const grammar = await registry.loadGrammar('text.patch-mail');

const N = 100_000;
const cases = {
  'diffstat without a bar': ' ' + 'a '.repeat(N / 2),
  'diffstat with a bar far away': ' ' + 'x'.repeat(N) + ' | 3 +++',
  'diffstat of pluses': ' f | 1 ' + '+'.repeat(N) + 'x',
  'subject prefixes': '[PATCH '.repeat(N / 7),
  'bracket soup': '['.repeat(N) + 'PATCH',
  'trailer with angle brackets': 'Reviewed-by: ' + '<'.repeat(N),
  'trailer, long name': 'Acked-by: ' + 'A'.repeat(N) + ' <a@b>',
  'quote markers': '>'.repeat(N) + 'x',
  'quote of spaces': '> '.repeat(N / 2),
  'mbox From line': 'From ' + 'x'.repeat(N) + ' Mon',
  'obfuscated addresses': '[email protected] '.repeat(N / 18),
};
let failed = 0;
for (const [name, line] of Object.entries(cases)) {
  for (const prefix of [[], ['Subject: x', 'From: y'], ['diff --git a/x.c b/x.c', '@@ -1,1 +1,1 @@']]) {
    let state = tm.INITIAL;
    for (const l of prefix) state = grammar.tokenizeLine(l, state).ruleStack;
    const t0 = performance.now();
    grammar.tokenizeLine(line, state);
    const ms = performance.now() - t0;
    const where = prefix.length ? ` after ${prefix[0].split(' ')[0]}` : '';
    if (ms > LIMIT_MS) {
      failed++;
      console.log(`FAIL ${name}${where}: ${ms.toFixed(0)} ms`);
    } else console.log(`ok   ${name}${where}: ${ms.toFixed(1)} ms`);
  }
}
process.exit(failed ? 1 : 0);
