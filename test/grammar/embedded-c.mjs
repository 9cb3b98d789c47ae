#!/usr/bin/env node
/**
 * The C inside +/- lines is highlighted as C: tokenizes seed 000 with our
 * grammar alone (its own C rules, `#c-line`; it includes no other grammar,
 * so what is tested here is what VS Code shows), and checks the scopes of C
 * keywords, types, calls, comments and strings in added, removed and
 * context lines, and that prose and Documentation/ diffs stay out of C.
 *
 *   node test/grammar/embedded-c.mjs
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const tm = require('vscode-textmate');
const onig = require('vscode-oniguruma');
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

await onig.loadWASM(readFileSync(join(dirname(require.resolve('vscode-oniguruma')), 'onig.wasm')).buffer);
const files = { 'text.patch-mail': join(root, 'syntaxes/patch-mail.tmLanguage.json') };
const asked = [];
const registry = new tm.Registry({
  onigLib: Promise.resolve({ createOnigScanner: (p) => new onig.OnigScanner(p), createOnigString: (s) => new onig.OnigString(s) }),
  loadGrammar: async (scope) => (asked.push(scope), files[scope] ? tm.parseRawGrammar(readFileSync(files[scope], 'utf8'), files[scope]) : null),
});
const grammar = await registry.loadGrammar('text.patch-mail');
const lines = readFileSync(join(root, 'test/fixtures/seeds/000_dbfa3d816e84323d.txt'), 'utf8').split('\n');
let state = tm.INITIAL;
const tokens = [];
lines.forEach((line, i) => {
  const r = grammar.tokenizeLine(line, state);
  for (const t of r.tokens) tokens.push({ line: i + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.join(' ') });
  state = r.ruleStack;
});

let failed = 0;
function expect(what, pred, detail) {
  const ok = !!pred;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : ` — ${detail}`}`);
}
const on = (lineStart, text) => {
  const l = lines.findIndex((x) => x.startsWith(lineStart)) + 1;
  return tokens.find((t) => t.line === l && t.text === text);
};
const plusStatic = on('+static inline void vma_flag_set_atomic(', 'static');
expect('`static` in a + line is a C storage modifier', plusStatic && /markup\.inserted\.patch-mail/.test(plusStatic.scopes) && /meta\.embedded\.line\.c/.test(plusStatic.scopes) && /storage\.modifier/.test(plusStatic.scopes), plusStatic?.scopes);
const plusVoid = on('+static inline void vma_flag_set_atomic(', 'void');
expect('`void` in a + line is a C type', plusVoid && /storage\.type/.test(plusVoid.scopes), plusVoid?.scopes);
const fn = on('+static inline void vma_flag_set_atomic(', 'vma_flag_set_atomic');
expect('the function name in a + line is a C function', fn && /entity\.name\.function/.test(fn.scopes), fn?.scopes);
const define = tokens.find((t) => t.text === '#' && /meta\.diff\.context/.test(t.scopes) || (t.text === 'define' && /meta\.embedded\.line\.c/.test(t.scopes)));
expect('a #define in a context line is a C preprocessor directive', define && /preprocessor|directive/.test(define.scopes), define?.scopes);
const proseLine = lines.findIndex((l) => l.startsWith('This patch adds')) + 1;
const prose = tokens.find((t) => t.line === proseLine);
expect('the commit message is not C', prose && !/source\.c|embedded/.test(prose.scopes), prose?.scopes);
const tag = on('Reviewed-by: Pedro', 'Reviewed-by');
expect('trailers keep their own scope', tag && /keyword\.other\.trailer\.reviewed-by/.test(tag.scopes), tag?.scopes);
const comment = tokens.find((t) => /^\+/.test(lines[t.line - 1]) && /comment\.block\.c/.test(t.scopes));
expect('a /* comment */ in a + line is a C comment', comment, 'no comment.block.c token on a + line');
expect('no other grammar is asked for (an include VS Code may not resolve colours nothing)', asked.length === 1, asked.join(', '));
process.exit(failed ? 1 : 0);
