/**
 * The summary page and its data, on real mail: seed 000 (a lore page with
 * two replies giving tags), a b4 partial re-roll thread, and a hostile mail.
 * The DOM-level check of the hostile mail runs in Chromium (npm run
 * test:e2e); here the HTML text is checked.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { analyze } from '../../../src/editor/analyze.js';
import { summarize } from '../../../src/editor/summaryModel.js';
import { csp, esc, renderSummary } from '../../../src/vscode/summaryHtml.js';
// @ts-expect-error plain JS helper of the e2e runner
import { hostileMail } from '../../../scripts/e2e.mjs';

const SEED_000 = 'test/fixtures/seeds/000_dbfa3d816e84323d.txt';
const page = { cspSource: 'https://webview.test', nonce: 'N0nce', scriptUri: 'https://webview.test/summary.js', styleUri: 'https://webview.test/summary.css', inputName: 'x' };

test('seed 000: one series, v4 of 9 patches, 2/9 present with its own and its reply tags', async () => {
  const a = await analyze([{ file: SEED_000, data: readFileSync(SEED_000) }]);
  const s = summarize(a);
  assert.equal(s.series.length, 1);
  const series = s.series[0];
  assert.equal(series.title, 'mm: add atomic VMA flags and set VM_MAYBE_GUARD as such');
  assert.deepEqual(series.versions.map((v) => [v.version, v.total, v.present]), [[4, 9, 1]]);
  assert.deepEqual(series.patches.filter((p) => p.state === 'missing').map((p) => p.label), ['1/9', '3\u20139/9']);
  const p2 = series.patches.find((p) => p.label === '2/9')!;
  const tags = [...p2.tags.entries()].flatMap(([who, cells]) => cells.map((c) => `${who} ${c.kind} ${c.state}`)).sort();
  assert.deepEqual(tags, [
    'david@kernel.org Acked-by reply',
    'lance.yang@linux.dev Reviewed-by reply',
    'pfalcato@suse.de Reviewed-by patch',
    'vbabka@suse.cz Reviewed-by patch',
  ]);
  assert.ok(p2.loc !== undefined && s.locations[p2.loc].line > 0, 'the title links to its line');
});

test('a partial re-roll: tags of v1 are shown as carried or dropped on the latest version', async () => {
  const file = 'test/fixtures/corpus/threads/b4-trailers-followup-partial-reroll.mbox';
  const a = await analyze([{ file, data: readFileSync(file) }]);
  const s = summarize(a);
  const states = new Set(s.series.flatMap((x) => x.patches.flatMap((p) => [...p.tags.values()].flat().map((c) => c.state))));
  assert.ok(s.series[0].versions.length >= 2, 'two versions');
  assert.ok(states.size >= 2, `several tag states: ${[...states].join(', ')}`);
});

test('esc leaves no markup and cuts long text', () => {
  assert.equal(esc('<script>"x"&\'y\'`</script>'), '&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&#96;&lt;/script&gt;');
  assert.equal(esc('A'.repeat(10_000), 300).length, 301);
});

test('the CSP allows nothing remote and scripts only by nonce', () => {
  const c = csp(page);
  assert.match(c, /^default-src 'none'; /);
  assert.match(c, /script-src 'nonce-N0nce'/);
  assert.doesNotMatch(c, /unsafe-inline|unsafe-eval|\*|https?:\/\/(?!webview\.test)/);
});

test('a hostile mail renders as text: no markup, handler or link of its own, long tags cut', async () => {
  const a = await analyze([{ file: 'hostile.eml', data: hostileMail() }]);
  const s = summarize(a);
  assert.ok(s.series.length >= 1, 'the mail is read as a series');
  const html = renderSummary(s, page);
  const body = html.slice(html.indexOf('<body>'));
  assert.equal((html.match(/<script/g) ?? []).length, 1, 'only our script');
  assert.match(html, /<script nonce="N0nce" src="https:\/\/webview\.test\/summary\.js"><\/script>/);
  // Every raw '<' starts a tag we wrote (text has '&lt;'): check each tag and its attributes.
  const tags = body.match(/<\/?[a-zA-Z][^>]*>/g) ?? [];
  const allowedTags = new Set(['body', 'header', 'h1', 'h2', 'h3', 'h4', 'p', 'section', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'a', 'details', 'summary', 'code', 'ul', 'li', 'div', 'pre', 'script', 'html']);
  const allowedAttrs = new Set(['class', 'title', 'data-loc', 'tabindex', 'nonce', 'src', 'open']);
  for (const t of tags) {
    const name = /^<\/?([a-zA-Z0-9]+)/.exec(t)![1].toLowerCase();
    assert.ok(allowedTags.has(name), `tag ${t.slice(0, 80)}`);
    // Attribute values are double-quoted and hold no raw '"': consume them whole.
    const attrs = [...t.matchAll(/\s([^\s=>"']+)(?:="[^"]*")?/g)].map((m) => m[1].toLowerCase());
    for (const a of attrs) assert.ok(allowedAttrs.has(a), `attribute ${a} in ${t.slice(0, 80)}`);
    if (attrs.includes('src')) assert.equal(name, 'script');
  }
  assert.match(body, /&lt;script&gt;window\.__pwned=&quot;subject&quot;&lt;\/script&gt;/);
  assert.doesNotMatch(body, /A{500}/, '10,000-character tags are cut');
  assert.doesNotMatch(body, /C{500}/);
});
