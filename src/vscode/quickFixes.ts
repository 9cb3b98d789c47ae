/**
 * What the quick fixes on a finding do, as plain text and data, with no
 * `vscode` import: the extension's commands (patchlens.addToReply,
 * patchlens.disableRule, patchlens.useRecoveredAddress) call these, and a
 * language server can answer `workspace/executeCommand` with them for
 * editors other than VS Code.
 *
 * Arguments are what a code action carries (a document URI or file, a
 * 0-based line), so each function checks them: they may come from another
 * process.
 */
import { readInput } from '../core/mail/index.js';
import type { MailMessage } from '../core/types.js';
import type { CollectedTag, CollectedTrailers, PatchTrailers } from '../core/trailers/collect.js';
import type { AddToReplyArgs, RecoveredAddressArgs } from '../lsp/protocol.js';
import { appendToReply, composeReply, replyBlock } from '../editor/reply.js';

// The arguments the language server's quick fixes carry (one definition, in the protocol).
export type { AddToReplyArgs, RecoveredAddressArgs } from '../lsp/protocol.js';

const RULE_ID = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

export function isAddToReplyArgs(x: unknown): x is AddToReplyArgs {
  const a = x as AddToReplyArgs;
  return !!a && typeof a.uri === 'string' && Number.isInteger(a.line) && a.line >= 0
    && typeof a.rule === 'string' && RULE_ID.test(a.rule) && typeof a.message === 'string';
}

export function isRecoveredAddressArgs(x: unknown): x is RecoveredAddressArgs {
  const a = x as RecoveredAddressArgs;
  return !!a && typeof a.uri === 'string' && Number.isInteger(a.line) && a.line >= 0
    && typeof a.recovered === 'string' && /^[^\s<>@]{1,200}@[^\s<>@]{1,200}$/.test(a.recovered);
}

export function isRuleId(x: unknown): x is string {
  return typeof x === 'string' && RULE_ID.test(x);
}

/** The mail message holding 1-based input line `line`, read with the core's mail reader only (no C parsing). */
export async function messageAtLine(file: string, text: string, line: number): Promise<MailMessage | null> {
  const read = await readInput(file, text);
  return read.messages.find((m) => m.startLine <= line && line <= m.endLine) ?? null;
}

/** Which draft a finding goes to: one per patch mail (its Message-ID, else its place in the file). */
export function draftKey(uri: string, m: MailMessage): string {
  return m.messageId ? `<${m.messageId}>` : `${uri}#${m.startLine}`;
}

/**
 * The reply draft after "Add to review reply": a new draft answering the
 * finding's message (quoted line, finding as inline comment) when there is
 * none, else the existing draft with that block appended.
 */
export async function addToReplyDraft(
  args: AddToReplyArgs,
  input: { file: string; text: string },
  draftFor: (key: string) => string | null,
  identity: () => Promise<{ name: string; email: string } | null>,
): Promise<{ key: string; text: string; appended: boolean } | { error: string }> {
  const line = args.line + 1;
  const m = await messageAtLine(input.file, input.text, line);
  if (!m) return { error: `no mail message at line ${line}` };
  const lines = input.text.split(/\r?\n/);
  const finding = { line, message: args.message, rule: args.rule };
  const key = draftKey(args.uri, m);
  const draft = draftFor(key);
  if (draft === null) {
    const findings = [{ ...finding, file: input.file, column: 1, severity: 'warning' as const }];
    return { key, text: composeReply({ message: m, lines, findings, notes: [], tag: null, identity: await identity() }), appended: false };
  }
  return { key, text: appendToReply(draft, replyBlock(lines, m, finding)), appended: true };
}

/** `patchlens.rules.disabled` with `rule` added (once, order kept). */
export function withRuleDisabled(disabled: readonly unknown[] | undefined, rule: string): string[] {
  const list = (disabled ?? []).filter((x): x is string => typeof x === 'string');
  return list.includes(rule) ? list : [...list, rule];
}

/** A recovered address the reviewer chose to use for the tag at `file`, 1-based `line`. */
export interface RecoveredChoice {
  file: string;
  line: number;
  email: string;
}

/**
 * The collection with the chosen tags applied: each unconfirmed tag (an
 * obfuscated address, a tag written inline) at a chosen place becomes a
 * collected tag with the recovered address, so the am writer adds it like
 * any other.  The collection itself is not changed.
 */
export function withRecovered(collected: CollectedTrailers, choices: readonly RecoveredChoice[]): CollectedTrailers {
  if (!choices.length) return collected;
  const chosen = (t: CollectedTag): RecoveredChoice | undefined =>
    t.status === 'unconfirmed' ? choices.find((c) => c.file === t.pos.file && c.line === t.pos.line) : undefined;
  const apply = (t: CollectedTag): CollectedTag => {
    const c = chosen(t);
    if (!c) return t;
    const value = t.name ? `${t.name} <${c.email}>` : c.email;
    return { ...t, status: 'collected', email: c.email, recoveredEmail: c.email, value, notice: `address ${c.email} chosen by the reviewer` };
  };
  const patches = collected.patches.map((p): PatchTrailers => ({ ...p, tags: p.tags.map(apply) }));
  const byPatch = new Map(patches.map((p) => [p.patch, p]));
  return {
    ...collected,
    patches,
    coverTags: collected.coverTags.map((c) => ({ ...c, tags: c.tags.map(apply) })),
    of: (patch) => byPatch.get(patch) ?? collected.of(patch),
  };
}
