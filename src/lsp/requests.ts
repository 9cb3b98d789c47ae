/**
 * The answers to PatchLens's own requests (patchlens/summary, /series,
 * /trailers, /composeReply) and to `workspace/executeCommand`: plain data
 * or text, computed from an analysis.  The VS Code extension shows them in
 * its webview, tree and editors; other editors get the text.
 */
import type { Analysis } from '../editor/analyze.js';
import { summaryToWire, type WireSummary } from '../editor/summaryWire.js';
import { writeAmMbox } from '../core/trailers/am.js';
import { summarize } from '../editor/summaryModel.js';
import { composeReply } from '../editor/reply.js';
import { withRecovered, type RecoveredChoice } from '../vscode/quickFixes.js';
import type { ComposeReplyParams, TrailersResult, WireSeries } from './protocol.js';
import type { DocAnalysis } from './documents.js';

export function summaryOf(a: Analysis): WireSummary {
  return summaryToWire(summarize(a));
}

export function seriesOf(a: Analysis): WireSeries[] {
  return a.series.map((s) => ({
    title: s.title,
    versions: s.versions.map((v) => ({
      version: v.version,
      total: v.total,
      patches: (v.cover ? [v.cover, ...v.patches] : v.patches).map((p) => {
        const m = p.message;
        return {
          index: p.subject.index,
          total: p.subject.total,
          title: p.subject.title,
          subject: m.subject,
          file: m.file,
          line: m.startLine,
          cover: p === v.cover,
          findings: a.findings
            .filter((f) => f.file === m.file && f.line >= m.startLine && f.line <= m.endLine)
            .map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, file: f.file, line: f.line, column: f.column })),
        };
      }),
      missing: v.missing.map((index) => ({ index, title: s.shortlogTitles[index - 1] ?? '' })),
    })),
  }));
}

/** The am-ready mbox (b4's rules, the trailers engineer's writer) of every series with patches. */
export function trailersOf(a: Analysis, recovered: readonly RecoveredChoice[] = []): TrailersResult {
  const collected = a.collected && withRecovered(a.collected, recovered);
  const series = a.series.filter((s) => s.versions.some((v) => v.patches.length));
  if (!collected || !series.length) return { text: '', patches: 0 };
  const text = series.map((s) => writeAmMbox(collected, s)).join('');
  const patches = (text.match(/^From [0-9a-f]{40} /gm) ?? []).length || (text.match(/^From /gm) ?? []).length;
  return { text, patches };
}

/** A reply to the message at `p.line`: quoted hunks, the findings inline, the tag. Null when no message is there. */
export function replyOf(a: DocAnalysis, p: ComposeReplyParams): string | null {
  const message = a.index.messageAt(p.line) ?? a.analysis.reads.find((r) => r.file === a.file)?.messages[0];
  if (!message) return null;
  const findings = a.index.findings.filter((f) => f.line >= message.startLine && f.line <= message.endLine);
  return composeReply({ message, lines: a.lines.lines, findings, notes: p.notes ?? [], tag: p.tag ?? null, identity: p.identity ?? null });
}

/** `patchlens.addToReply` for editors without the extension: the lines to paste into the reply. */
export function replyLinesFor(a: DocAnalysis, line: number, rule: string, message: string): string {
  const quoted = `> ${a.lines.at(line)}`;
  return `${quoted}\n\n${rule}: ${message}\n`;
}
