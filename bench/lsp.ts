/**
 * `npm run bench:lsp`: the language server as an editor sees it, over stdio
 * (`patchlens lsp --stdio`, the bundled CLI).  Figures, not assertions:
 *  - didOpen -> diagnostics, for seed 003 and for the 10,218-line series
 *    that `npm run bench:vscode` opens (the same generator, scripts/e2e.mjs):
 *    cold (a fresh server: tree-sitter loads), warm on a text the server
 *    has not seen (every added line changed, so no cached facts apply), and
 *    the same text again under another name (as `bench:vscode` opens it: the
 *    server reuses the facts of every diff); first publication and complete;
 *  - an edit inside one patch of the series: the re-analysis, which reuses
 *    every other patch (debounce set to 0 for the measurement);
 *  - hovers: the server-side time of each (from the analysis in hand to the
 *    Markdown), and the round trip.
 * Writes test-output/bench-lsp.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, ROOT } from '../test/unit/lsp/client.js';
// @ts-expect-error: a plain .mjs script without types; benchSeries(lines) returns the series text.
import { benchSeries } from '../scripts/e2e.mjs';

const SERVER = [process.execPath, join(ROOT, 'bin/patchlens.js'), 'lsp', '--stdio'];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEED_003 = join(ROOT, 'test/fixtures/seeds/003_6bc468803e1b8b4d.txt');

type Stats = { median: number; p95: number; max: number; n: number };
function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95), max: s[s.length - 1], n: s.length };
}
const round = (x: number): number => Math.round(x * 10) / 10;

async function server(): Promise<LspClient> {
  const c = new LspClient(SERVER);
  c.onServerRequest = (method, params) => (method === 'workspace/configuration' ? params.items.map(() => ({ analysis: { debounceMs: 0 } })) : null);
  await c.initialize(pathToFileURL(ROOT).href);
  return c;
}

/** didOpen of `text` as `name`: ms to the first diagnostics published and to the complete ones. */
async function open(c: LspClient, name: string, text: string): Promise<{ firstMs: number; completeMs: number; diagnostics: number; uri: string }> {
  const uri = pathToFileURL(join(ROOT, '.bench-lsp', name)).href;
  const from = c.notifications.length;
  const t0 = performance.now();
  c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'patch-mail', version: 1, text } });
  const first = c.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri, 'first diagnostics', 120_000, from);
  let firstMs = 0;
  void first.then(() => (firstMs = performance.now() - t0));
  const { diagnostics } = await c.analyzed(uri, 1, from);
  const completeMs = performance.now() - t0;
  await first;
  return { firstMs, completeMs, diagnostics: diagnostics.length, uri };
}

/** The same mail with every added line changed (a trailing space): the same work for the parser, nothing it has seen. */
function unseen(text: string, k: number): string {
  return text.replace(/^(\+(?!\+\+ ).*)$/gm, `$1${' '.repeat(k + 1)}`);
}

async function openFigures(label: string, text: string): Promise<unknown> {
  const cold: { firstMs: number; completeMs: number }[] = [];
  const warmNew: { firstMs: number; completeMs: number }[] = [];
  const warmSame: { firstMs: number; completeMs: number }[] = [];
  let diagnostics = 0;
  for (let i = 0; i < RUNS; i++) {
    const c = await server();
    try {
      const r = await open(c, `${label}-cold-${i}.mbox`, text);
      cold.push(r);
      diagnostics = r.diagnostics;
      // Warm: tree-sitter loaded, a text never seen.
      warmNew.push(await open(c, `${label}-new-${i}.mbox`, unseen(text, i)));
      // The same text under another name: every diff's facts are reused.
      warmSame.push(await open(c, `${label}-again-${i}.mbox`, text));
    } finally {
      await c.shutdown().catch(() => c.kill());
    }
  }
  const med = (xs: number[]) => round(stats(xs).median);
  return {
    lines: text.split('\n').length,
    diagnostics,
    coldFirstMs: med(cold.map((x) => x.firstMs)),
    coldCompleteMs: med(cold.map((x) => x.completeMs)),
    warmNewTextFirstMs: med(warmNew.map((x) => x.firstMs)),
    warmNewTextCompleteMs: med(warmNew.map((x) => x.completeMs)),
    warmSameTextFirstMs: med(warmSame.map((x) => x.firstMs)),
    warmSameTextCompleteMs: med(warmSame.map((x) => x.completeMs)),
    runs: RUNS,
  };
}

/** An edit inside one patch's diff of the open series: didChange -> complete diagnostics. */
async function editFigures(text: string): Promise<unknown> {
  const c = await server();
  const times: number[] = [];
  let reuse: unknown;
  try {
    const { uri } = await open(c, 'series-edit.mbox', text);
    const lines = text.split('\n');
    // Lines inside diffs: an added line of C to change by one character each time.
    const targets = lines.map((l, i) => (/^\+\s+\S.*;$/.test(l) ? i : -1)).filter((i) => i >= 0);
    for (let k = 0; k < Math.min(10, targets.length); k++) {
      const line = targets[Math.floor((k * targets.length) / 10)];
      const from = c.notifications.length;
      const t0 = performance.now();
      c.notify('textDocument/didChange', {
        textDocument: { uri, version: k + 2 },
        contentChanges: [{ range: { start: { line, character: 1 }, end: { line, character: 1 } }, text: ' ' }],
      });
      await c.analyzed(uri, k + 2, from);
      times.push(performance.now() - t0);
    }
    const s = await c.request('patchlens/stats', {});
    reuse = s.cache;
  } finally {
    await c.shutdown().catch(() => c.kill());
  }
  return { editToDiagnosticsMs: stats(times), cache: reuse };
}

async function hoverFigures(text: string): Promise<unknown> {
  const c = await server();
  try {
    const { uri } = await open(c, 'series-hover.mbox', text);
    const lines = text.split('\n');
    const words = ['vma_start_write', 'mmap_read_lock', 'VM_MAYBE_GUARD', 'Signed-off-by', 'Reviewed-by', 'vm_flags_set', 'return'];
    const roundTrip: number[] = [];
    for (let i = 0, n = 0; i < lines.length && n < 300; i += 31, n++) {
      const w = words.find((x) => lines[i].includes(x));
      const t0 = performance.now();
      await c.request('textDocument/hover', { textDocument: { uri }, position: { line: i, character: w ? lines[i].indexOf(w) + 1 : 0 } });
      roundTrip.push(performance.now() - t0);
    }
    const s = await c.request('patchlens/stats', {});
    return { serverMs: stats(s.hoverMs), roundTripMs: stats(roundTrip) };
  } finally {
    await c.shutdown().catch(() => c.kill());
  }
}

const series = benchSeries(10_000) as string;
const report = {
  date: new Date().toISOString(),
  server: 'patchlens lsp --stdio (dist/cli)',
  seed003: await openFigures('seed003', readFileSync(SEED_003, 'utf8')),
  series10k: await openFigures('series10k', series),
  edit: await editFigures(series),
  hover: await hoverFigures(series),
  targets: { series10kWarmMs: 150, hoverServerMs: 5 },
};
mkdirSync(join(ROOT, 'test-output'), { recursive: true });
writeFileSync(join(ROOT, 'test-output/bench-lsp.json'), JSON.stringify(report, null, 2) + '\n');
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
