/**
 * What the server answers about one analysed document: hovers, code
 * lenses, code actions and the outline (document symbols).  Each reads the
 * DocAnalysis of src/lsp/documents.ts, indexed by line, so a hover costs a
 * few map lookups.  The words come from the editor-neutral text modules
 * (hoverText.ts) every PatchLens front end shares.
 */
import { CodeActionKind, SymbolKind, type CodeAction, type CodeLens, type Command, type Diagnostic, type DocumentSymbol, type Hover, type Position, type Range } from 'vscode-languageserver';
import type { Finding } from '../core/findings.js';
import type { Model } from '../core/model/types.js';
import type { LineMap, MailMessage } from '../core/types.js';
import type { PatchAt } from '../editor/locate.js';
import { joinQuoted, readDiff } from '../core/diff/index.js';
import { offsetMap } from '../core/diff/images.js';
import { readPatch } from '../core/series/patch.js';
import { codeLensTitle, findingHover, flagHover, helperHover, trailerHover } from '../editor/hoverText.js';
import { EDITOR_COMMANDS, SERVER_COMMANDS, type AddToReplyArgs, type RecoveredAddressArgs } from './protocol.js';
import { findingDiagnostic, identAt, recoveredAddress } from './convert.js';
import type { DocAnalysis } from './documents.js';

/** Findings, tags, then the helper or flag under the cursor, as one Markdown hover. */
export function hoverAt(a: DocAnalysis, pos: Position, model: Model): Hover | null {
  const parts: string[] = [];
  const line = pos.line + 1;
  const col = pos.character + 1;
  for (const f of a.index.findingsByLine.get(line) ?? []) {
    const inside = f.endLine === undefined || f.line !== f.endLine || f.endColumn === undefined ? true : col >= f.column && col <= f.endColumn;
    if (inside) parts.push(findingHover(f));
  }
  for (const tag of a.index.trailersByLine.get(line) ?? []) parts.push(trailerHover(tag));
  const text = a.lines.at(pos.line);
  let range: Range = { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: text.length } };
  const word = identAt(text, pos.character);
  if (word) {
    const helper = model.helpers.get(word.word);
    const flag = helper ? undefined : model.flags.get(word.word);
    if (helper) parts.push(helperHover(helper, model));
    else if (flag) parts.push(flagHover(flag));
    if (helper || flag) range = { start: { line: pos.line, character: word.start }, end: { line: pos.line, character: word.end } };
  }
  if (!parts.length) return null;
  return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, range };
}

/** Findings of this document inside a patch's message. */
function findingsIn(a: DocAnalysis, start: number, end: number): Finding[] {
  return a.index.findings.filter((f) => f.line >= start && f.line <= end);
}

/**
 * Over each patch's subject: `v4 2/9 · R-b 3 · A-b 1 · 2 findings`.  The
 * command opens the summary: the extension's command in VS Code, the
 * server's own elsewhere.
 */
export function codeLenses(a: DocAnalysis, editorCommands: boolean): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const at of a.index.patches) {
    const m = at.patch.message;
    const n = findingsIn(a, m.startLine, m.endLine).length;
    const line = a.lines.clamp(at.line - 1);
    const command: Command = editorCommands
      ? { title: codeLensTitle(at, a.analysis.trailersOf(at.patch), n), command: EDITOR_COMMANDS.summarizeSeries, arguments: [a.uri] }
      : { title: codeLensTitle(at, a.analysis.trailersOf(at.patch), n), command: SERVER_COMMANDS.summarize, arguments: [a.uri] };
    lenses.push({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, command });
  }
  return lenses;
}

/**
 * Quick fixes on the findings in `range`: add it to the review reply,
 * disable its rule in the workspace, and for an obfuscated tag whose address
 * other messages show, use that address.  Mail-reading problems (codes in
 * lower case) get none: there is no rule to disable.
 */
export function codeActions(a: DocAnalysis, range: Range): CodeAction[] {
  const out: CodeAction[] = [];
  const seenRules = new Set<string>();
  for (let l = range.start.line + 1; l <= range.end.line + 1 && l <= range.start.line + 1 + 500; l++) {
    for (const f of a.index.findingsByLine.get(l) ?? []) {
      if (f.line !== l && l !== range.start.line + 1) continue;
      const diagnostic: Diagnostic = findingDiagnostic(f, a.lines, a.uri, a.file);
      const reply: AddToReplyArgs = { uri: a.uri, line: f.line - 1, rule: f.rule, message: f.message };
      out.push({
        title: `Add to review reply: ${f.rule}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Add to review reply', command: EDITOR_COMMANDS.addToReply, arguments: [reply] },
      });
      const recovered = f.rule === 'TAG-OBFUSCATED' ? recoveredAddress(f.message) : null;
      if (recovered) {
        const args: RecoveredAddressArgs = { uri: a.uri, line: f.line - 1, recovered };
        out.push({
          title: `Use the recovered address <${recovered}>`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          command: { title: 'Use the recovered address', command: EDITOR_COMMANDS.useRecoveredAddress, arguments: [args] },
        });
      }
      if (!seenRules.has(f.rule)) {
        seenRules.add(f.rule);
        out.push({
          title: `Disable ${f.rule} in this workspace`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: `Disable ${f.rule}`, command: EDITOR_COMMANDS.disableRule, arguments: [f.rule] },
        });
      }
    }
  }
  return out;
}

/** Bounds for the outline of a huge mbox: no editor shows more. */
const MAX_MESSAGES = 5000;
const MAX_SYMBOLS_PER_MESSAGE = 2000;

/**
 * The outline: each message of the document, a patch (or cover letter)
 * named by its version, index and title, a reply by its subject; under it
 * the files of its diff (or of the diffs it quotes) and each file's hunks
 * with the functions they touch, so Ctrl+Shift+O and the breadcrumbs follow
 * the series.
 */
export function documentSymbols(a: DocAnalysis): DocumentSymbol[] {
  // VS Code asks again for the breadcrumbs, the outline and sticky scroll: one analysis, one outline.
  let out = outlines.get(a);
  if (!out) outlines.set(a, (out = outlineOf(a)));
  return out;
}
const outlines = new WeakMap<DocAnalysis, DocumentSymbol[]>();

function outlineOf(a: DocAnalysis): DocumentSymbol[] {
  const lineRange = (from: number, to: number): Range => {
    const s = a.lines.clamp(from - 1);
    const e = Math.max(s, a.lines.clamp(to - 1));
    return { start: { line: s, character: 0 }, end: { line: e, character: a.lines.at(e).length } };
  };
  const fns: { name: string; line: number }[] = [];
  for (const d of a.analysis.facts) {
    if (d.file !== a.file) continue;
    for (const fn of d.facts.functions) if (fn.image === 'post' || fn.removed) fns.push({ name: fn.name, line: fn.pos.line });
  }
  fns.sort((x, y) => x.line - y.line);
  /** The functions whose line is in [from, to]: a binary search, not a scan per hunk. */
  const fnsBetween = (from: number, to: number): { name: string; line: number }[] => {
    let lo = 0;
    let hi = fns.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (fns[mid].line < from) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < fns.length && fns[end].line <= to) end++;
    return fns.slice(lo, end);
  };

  /** Files and hunks of one diff whose line i sits at document line map.line(i). */
  const diffSymbols = (diff: string, map: LineMap, fallback: number, budget: { left: number }): DocumentSymbol[] => {
    const docLine = (i: number): number => (i < map.length ? map.line(i) : fallback);
    const files: DocumentSymbol[] = [];
    for (const file of readDiff(diff).files) {
      if (--budget.left < 0) break;
      const path = file.newPath ?? file.oldPath ?? '(unnamed file)';
      const start = docLine(file.startLine);
      let end = start;
      const hunks: DocumentSymbol[] = [];
      for (const h of file.hunks) {
        if (--budget.left < 0) break;
        const from = docLine(h.headerLine);
        const last = h.lines.length ? docLine(h.lines[h.lines.length - 1].diffLine) : from;
        end = Math.max(end, last);
        const inHunk = fnsBetween(from, last);
        const names = [...new Set(inHunk.map((f) => f.name))];
        const label = `@@ -${h.oldStart},${h.oldCount} +${h.newStart},${h.newCount} @@${names.length ? ' ' + names.join(', ') : h.context ? ' ' + h.context.trim() : ''}`;
        const children = inHunk.slice(0, 50).map((f): DocumentSymbol => ({ name: f.name, kind: SymbolKind.Function, range: lineRange(f.line, f.line), selectionRange: lineRange(f.line, f.line) }));
        hunks.push({ name: label, kind: SymbolKind.Namespace, range: lineRange(from, last), selectionRange: lineRange(from, from), children });
      }
      files.push({ name: path, detail: `+${file.added} -${file.deleted}`, kind: SymbolKind.File, range: lineRange(start, end), selectionRange: lineRange(start, start), children: hunks });
    }
    return files;
  };

  const patchOf = new Map<MailMessage, PatchAt>();
  for (const at of a.index.patches) patchOf.set(at.patch.message, at);
  const out: DocumentSymbol[] = [];
  const messages = a.analysis.reads.filter((r) => r.file === a.file).flatMap((r) => r.messages);
  for (const m of messages.slice(0, MAX_MESSAGES)) {
    const budget = { left: MAX_SYMBOLS_PER_MESSAGE };
    const at = patchOf.get(m);
    const subjectLine = at ? at.line : (m.headers.find((h) => h.name.toLowerCase() === 'subject')?.line ?? m.startLine);
    let name: string;
    let children: DocumentSymbol[] = [];
    if (at) {
      const s = at.patch.subject;
      const v = at.version.version;
      name = `${s.index === null ? `v${v}` : `v${v} ${s.index}/${s.total ?? at.version.total}`} ${s.title || m.subject || '(no subject)'}`;
      if (at.patch.diff) children = diffSymbols(at.patch.diff, offsetMap(m.bodyMap, at.patch.diffBodyLine), m.endLine, budget);
    } else {
      name = m.subject || '(no subject)';
      // A reply may carry a diff of its own (a fixup, a suggested change), as review() reads it.
      const carried = readPatch(m);
      if (carried.diff) children.push(...diffSymbols(carried.diff, offsetMap(m.bodyMap, carried.diffBodyLine), m.endLine, budget));
      for (const q of joinQuoted(m.quotedDiffs)) children.push(...diffSymbols(q.text, q.map, m.endLine, budget));
    }
    out.push({
      name,
      detail: at?.cover ? 'cover letter' : m.from ? m.from.name || m.from.email : undefined,
      kind: at?.cover ? SymbolKind.Package : at ? SymbolKind.Module : SymbolKind.String,
      range: lineRange(Math.min(m.startLine, subjectLine), Math.max(m.endLine, subjectLine)),
      selectionRange: lineRange(subjectLine, subjectLine),
      children,
    });
  }
  return out;
}
