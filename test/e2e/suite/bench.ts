/**
 * `npm run bench:vscode`: figures, not assertions.  Open-to-diagnostics for
 * a 10,000-line series (first diagnostics and complete), hover latency
 * (server-side and round trip), activation time (the activation test in
 * index.ts reports that one).
 */
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { PatchLensApi } from '../../../src/extension.js';

interface Helpers {
  open(file: string): Promise<vscode.TextDocument>;
  hoverText(doc: vscode.TextDocument, pos: vscode.Position): Promise<string>;
  find(doc: vscode.TextDocument, lineText: string, word: string): vscode.Position;
  api(): PatchLensApi;
  ws(): string;
  until<T>(what: string, fn: () => T | undefined | false, ms?: number): Promise<T>;
}

type TestFn = (name: string, fn: (t: { data(d: unknown): void }) => Promise<void>) => void;

function stats(xs: number[]): { median: number; p95: number; max: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95), max: s[s.length - 1], n: s.length };
}

/** How long the settled open waits after the warm one. */
const SETTLE_MS = 5000;

export function benchmarks(test: TestFn, h: Helpers): void {
  const openOnce = async (name: string) => {
    const uri = vscode.Uri.file(join(h.ws(), 'bench', name));
    const t0 = performance.now();
    const seen = new Promise<number>((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) {
          sub.dispose();
          resolve(performance.now() - t0);
        }
      });
    });
    const doc = await vscode.workspace.openTextDocument(uri);
    const openMs = performance.now() - t0;
    await vscode.window.showTextDocument(doc);
    // First diagnostics: the server publishes the mail's findings first, then each version's checks.
    const ms = await seen;
    const api = h.api();
    await h.until('the complete analysis', () => api.client.analysisOf(doc), 120_000);
    const completeMs = performance.now() - t0;
    const stats = await api.client.stats();
    const mine = stats.documents.find((d) => d.uri === uri.toString());
    return {
      lines: doc.lineCount, openToDiagnosticsMs: ms, openToCompleteDiagnosticsMs: completeMs, openTextDocumentMs: openMs,
      requestToDiagnosticsMs: api.client.timings.get(uri.toString()), analysisMs: mine?.analysisMs,
      diagnostics: vscode.languages.getDiagnostics(uri).length,
    };
  };

  test('bench: open to diagnostics, 10,000-line series', async (t) => {
    // Cold: the first C parse of the session loads tree-sitter.  Warm: the same series in a second
    // file, at once.  Settled: in a third file once VS Code has drawn the first two: right after a
    // 10k-line file is shown the workbench is busy for seconds (rendering, tokenizing, the outline),
    // and VS Code's own openTextDocument() waits for it.
    const cold = await openOnce('series-10k.mbox');
    const warm = await openOnce('series-10k-again.mbox');
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const settled = await openOnce('series-10k-settled.mbox');
    t.data({ cold, warm, settled });
  });

  test('bench: hover latency', async (t) => {
    const doc = await h.open(join(h.ws(), 'bench', 'series-10k.mbox'));
    const api = h.api();
    await h.until('analysis', () => api.client.analysisOf(doc));
    const words = ['vma_start_write', 'mmap_read_lock', 'VM_MAYBE_GUARD', 'Signed-off-by', 'Reviewed-by', 'vm_flags_set', 'return'];
    const positions: vscode.Position[] = [];
    for (let i = 0; i < doc.lineCount && positions.length < 200; i += 37) {
      const text = doc.lineAt(i).text;
      const w = words.find((x) => text.includes(x));
      positions.push(new vscode.Position(i, w ? text.indexOf(w) + 1 : 0));
    }
    const before = (await api.client.stats()).hoverMs.length;
    const roundTrip: number[] = [];
    for (const p of positions) {
      const t0 = performance.now();
      await h.hoverText(doc, p);
      roundTrip.push(performance.now() - t0);
    }
    // Server-side: from the request's analysis in hand to the hover's Markdown.
    const server = (await api.client.stats()).hoverMs.slice(before);
    t.data({ providerMs: stats(server), roundTripMs: stats(roundTrip) });
  });
}
