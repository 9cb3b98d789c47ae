/**
 * Findings and reading problems as LSP diagnostics, at their exact ranges:
 * the rule id as code, linked to the rule's page, the lock path as related
 * information.  Positions are UTF-16 offsets in the document's lines, as LSP
 * and VS Code count them; the core counts columns from 1 on the same lines.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Range } from 'vscode-languageserver';
import type { Finding } from '../core/findings.js';
import type { Problem } from '../core/types.js';

export const SOURCE = 'PatchLens';

/** The name a document goes by in findings: its path, or its URI when it has none (untitled). */
export function inputName(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

/** A URI from a finding's `file`: a path, or a URI for documents without one. */
export function uriOf(file: string): string {
  return /^[a-z][a-z0-9+.-]+:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? file : pathToFileURL(file).href;
}

/** Where a rule's code links to: a page the VS Code extension serves (`patchlens-rule:`). */
export function ruleDocUri(rule: string): string {
  return `patchlens-rule:/${encodeURIComponent(rule)}.md`;
}

/** The lines of a document, split once per analysis. */
export class Lines {
  readonly lines: string[];
  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
  }
  get count(): number {
    return this.lines.length;
  }
  /** Text of 0-based line `i`, clamped into the document. */
  at(i: number): string {
    return this.lines[this.clamp(i)] ?? '';
  }
  clamp(i: number): number {
    return Math.max(0, Math.min(i, this.lines.length - 1));
  }
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\(\))?/g;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

/** The identifier (optionally with `()`) touching 0-based column `col`, as VS Code's getWordRangeAtPosition finds it. */
export function wordAt(text: string, col: number, re: RegExp = WORD): { start: number; end: number; word: string } | null {
  re.lastIndex = 0;
  // Bounded: every match advances lastIndex; a 100 KB line holds at most 50k words.
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (start > col) return null;
    if (col <= end) return { start, end, word: m[0] };
  }
  return null;
}

export function identAt(text: string, col: number): { start: number; end: number; word: string } | null {
  return wordAt(text, col, IDENT);
}

/** The range of a finding: its own end when given, else the word at its column, else the rest of the line. */
export function findingRange(lines: Lines, f: { line: number; column: number; endLine?: number; endColumn?: number }): Range {
  const line = lines.clamp(f.line - 1);
  const text = lines.at(line);
  const col = Math.max(0, Math.min(f.column - 1, text.length));
  if (f.endLine !== undefined || f.endColumn !== undefined) {
    const endLine = lines.clamp((f.endLine ?? f.line) - 1);
    const endText = lines.at(endLine);
    const endCol = Math.max(0, Math.min((f.endColumn ?? endText.length + 1) - 1, endText.length));
    if (endLine > line || (endLine === line && endCol > col)) return { start: { line, character: col }, end: { line: endLine, character: endCol } };
  }
  const word = wordAt(text, col);
  if (word) return { start: { line, character: word.start }, end: { line, character: word.end } };
  const end = text.length > col ? text.length : col + 1;
  return { start: { line, character: col }, end: { line, character: end } };
}

function severityOf(s: Finding['severity']): DiagnosticSeverity {
  return s === 'error' ? DiagnosticSeverity.Error : s === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}

/**
 * Rules whose finding marks text that no longer means what it says: a
 * comment naming an identifier the patch renamed or removed shows struck
 * through where the editor supports it.
 */
const DEPRECATED_RULES = new Set(['STALE-COMMENT-IDENT']);

/** What a code action needs of a finding, carried on its diagnostic. */
export interface DiagnosticData {
  rule: string;
  /** TAG-OBFUSCATED: the address other messages of the person show. */
  recovered?: string;
}

export function findingDiagnostic(f: Finding, lines: Lines, uri: string, file: string): Diagnostic {
  const d: Diagnostic = {
    range: findingRange(lines, f),
    message: f.message,
    severity: severityOf(f.severity),
    source: SOURCE,
    code: f.rule,
    codeDescription: { href: ruleDocUri(f.rule) },
  };
  if (DEPRECATED_RULES.has(f.rule)) d.tags = [DiagnosticTag.Deprecated];
  if (f.path?.length) {
    d.relatedInformation = f.path.map((s) => ({
      location: s.file === file
        ? { uri, range: findingRange(lines, { line: s.line, column: s.column }) }
        : { uri: uriOf(s.file), range: { start: { line: Math.max(0, s.line - 1), character: Math.max(0, s.column - 1) }, end: { line: Math.max(0, s.line - 1), character: Math.max(0, s.column - 1) } } },
      message: s.what,
    }));
  }
  const data: DiagnosticData = { rule: f.rule };
  const recovered = f.rule === 'TAG-OBFUSCATED' ? recoveredAddress(f.message) : null;
  if (recovered) data.recovered = recovered;
  d.data = data;
  return d;
}

/** The address a TAG-OBFUSCATED message says it recovered (src/core/trailers/collect.ts words it). */
export function recoveredAddress(message: string): string | null {
  const m = /recovered as <([^<>\s]{1,320})>/.exec(message);
  return m ? m[1] : null;
}

export function problemDiagnostic(p: Problem, lines: Lines): Diagnostic {
  const line = lines.clamp(p.line - 1);
  const text = lines.at(line);
  const col = Math.max(0, Math.min(p.column - 1, text.length));
  return {
    range: { start: { line, character: col }, end: { line, character: Math.max(col + 1, Math.min(text.length, 500)) } },
    message: p.message,
    severity: DiagnosticSeverity.Warning,
    source: SOURCE,
    code: p.kind,
  };
}

/** The diagnostics of one document: its findings, then its problems. */
export function toDiagnostics(findings: readonly Finding[], problems: readonly Problem[], lines: Lines, uri: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of findings) if (f.file === file) out.push(findingDiagnostic(f, lines, uri, file));
  for (const p of problems) if (p.file === file) out.push(problemDiagnostic(p, lines));
  return out;
}
