/**
 * Findings and problems as a reviewer's tools want them:
 *
 *   formatText   `FILE:LINE:COL: SEVERITY RULE-ID message` (compilers, editors, grep)
 *   toJson       { findings: [...], problems: [...] }
 *   toSarif      SARIF 2.1.0 (code-scanning UIs); problems become tool notifications
 *
 * Pure functions of their input: no file system.
 */
import type * as Sarif from 'sarif';
import type { Finding, Severity } from '../findings.js';
import type { Problem } from '../types.js';
import type { RuleInfo } from './types.js';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export type FailOn = 'error' | 'warning' | 'never';

/** Whether the findings reach --fail-on. */
export function reaches(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const bar = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= bar);
}

/** A finding's `context` in words (empty for the hunk alone: nothing beyond it was used). */
export function contextWords(context: string | undefined): string {
  if (!context || context === 'hunk') return '';
  if (context === 'applied') return 'lock state from the kernel tree, where the patch applied';
  if (context === 'tree-function') return "lock state from the function's body in the kernel tree (the patch does not apply there)";
  const c = /^contract:(.*)$/.exec(context);
  if (c) return `lock state from the built-in ${c[1]} lock contracts`;
  return context;
}

export function formatText(findings: readonly Finding[], problems: readonly Problem[]): string {
  const lines: string[] = [];
  for (const f of findings) {
    let line = `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule} ${f.message}`;
    if (f.patchFile) line += ` [${f.patchFile}${f.patchLine ? `:${f.patchLine}` : ''}]`;
    if (f.uncertain) line += ` (uncertain: ${f.uncertain})`;
    const ctx = contextWords(f.context);
    if (ctx) line += ` (${ctx})`;
    lines.push(line);
    for (const s of f.path ?? []) lines.push(`  ${s.file}:${s.line}:${s.column}: note: ${s.what}`);
  }
  for (const p of problems) lines.push(`${p.file}:${p.line}:${p.column}: problem ${p.kind}: ${p.message}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export interface JsonFinding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  message: string;
  patchFile: string | null;
  patchLine: number | null;
  path: { file: string; line: number; column: number; what: string }[];
  sources: { file: string; kernel?: string; note?: string }[];
  uncertain?: string;
  /** `applied` | `tree-function` | `contract:linux-6.12` | `hunk`: what the lock state outside the hunk came from. */
  context: string;
}

export interface JsonReport {
  findings: JsonFinding[];
  problems: { file: string; line: number; column: number; kind: string; message: string }[];
}

export function toJson(findings: readonly Finding[], problems: readonly Problem[]): JsonReport {
  return {
    findings: findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      message: f.message,
      patchFile: f.patchFile ?? null,
      patchLine: f.patchLine ?? null,
      path: (f.path ?? []).map((s) => ({ file: s.file, line: s.line, column: s.column, what: s.what })),
      sources: f.sources ?? [],
      ...(f.uncertain ? { uncertain: f.uncertain } : {}),
      context: f.context ?? 'hunk',
    })),
    problems: problems.map((p) => ({ file: p.file, line: p.line, column: p.column, kind: p.kind, message: p.message })),
  };
}

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** A relative or absolute path as a URI reference (spaces and `%` escaped). */
function uriOf(file: string): string {
  return encodeURI(file.replace(/\\/g, '/'));
}

function region(line: number, column: number): Sarif.Region {
  return { startLine: Math.max(1, line), startColumn: Math.max(1, column) };
}

export function toSarif(
  findings: readonly Finding[],
  problems: readonly Problem[],
  rules: readonly RuleInfo[],
  toolVersion: string,
): Sarif.Log {
  const ruleIndex = new Map<string, number>();
  const descriptors: Sarif.ReportingDescriptor[] = [];
  const describe = (id: string, info?: RuleInfo) => {
    if (ruleIndex.has(id)) return;
    ruleIndex.set(id, descriptors.length);
    descriptors.push({
      id,
      ...(info ? {
        shortDescription: { text: info.description },
        defaultConfiguration: { level: LEVEL[info.severity] },
        properties: { sources: info.source.map((s) => [s.file, s.kernel, s.note].filter(Boolean).join(', ')) },
      } : {}),
    });
  };
  for (const r of rules) describe(r.id, r);
  for (const f of findings) describe(f.rule);

  const results: Sarif.Result[] = findings.map((f) => {
    const result: Sarif.Result = {
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{
        physicalLocation: { artifactLocation: { uri: uriOf(f.file) }, region: region(f.line, f.column) },
        ...(f.patchFile ? {
          logicalLocations: [{ fullyQualifiedName: `${f.patchFile}${f.patchLine ? `:${f.patchLine}` : ''}`, kind: 'member' }],
        } : {}),
      }],
      properties: {
        ...(f.patchFile ? { patchFile: f.patchFile } : {}),
        ...(f.patchLine ? { patchLine: f.patchLine } : {}),
        sources: (f.sources ?? []).map((s) => [s.file, s.kernel, s.note].filter(Boolean).join(', ')),
        ...(f.uncertain ? { uncertain: f.uncertain } : {}),
      },
    };
    if (f.path && f.path.length > 0) {
      result.codeFlows = [{
        threadFlows: [{
          locations: f.path.map((s) => ({
            location: {
              physicalLocation: { artifactLocation: { uri: uriOf(s.file) }, region: region(s.line, s.column) },
              message: { text: s.what },
            },
          })),
        }],
      }];
    }
    return result;
  });

  const notifications: Sarif.Notification[] = problems.map((p) => ({
    level: 'warning',
    message: { text: `${p.kind}: ${p.message}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(p.file) }, region: region(p.line, p.column) } }],
  }));

  return {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'patchlens', version: toolVersion, rules: descriptors } },
      invocations: [{ executionSuccessful: true, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
      results,
    }],
  };
}
