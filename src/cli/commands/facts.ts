/**
 * `patchlens facts [--json] [--tree DIR] FILE...`: the C facts of every diff
 * in the inputs (a patch's own diff and diffs quoted in replies), per
 * function and image: calls in order with the control flow around them,
 * field assignments, defines with their values, comments and the
 * identifiers they name, parse errors.  A debug view of what the lock
 * checks see; every position is FILE:LINE:COLUMN of the input.
 */
import type { Command } from '../io.js';
import { EXIT_OK, EXIT_USAGE } from '../io.js';
import { isDirectory, readInputs, reportNoMail } from '../files.js';
import { parseCommand, type CommandSpec } from '../args.js';
import { loadCParser } from '../../core/c/parser.js';
import { readInput } from '../../core/mail/index.js';
import { findDiffs, joinQuoted, type FoundDiff } from '../../core/diff/index.js';
import { extractPatchFacts } from '../../core/c/index.js';
import type { CallFact, FlowItem, FunctionFacts, PatchFacts } from '../../core/c/facts.js';
import type { LineMap, SourcePos } from '../../core/types.js';

export const spec: CommandSpec = {
  name: 'facts',
  summary: 'The C facts of every diff (a patch\'s own and diffs quoted in replies), per function and image: what the lock checks see.',
  operands: '[FILE...]',
  options: {
    json: { type: 'boolean', help: 'print JSON' },
    tree: { type: 'string', value: 'DIR', help: 'kernel-tree mode: apply each patch to the files of DIR in memory' },
  },
};

interface DiffFacts {
  file: string;
  /** Message index within the file. */
  message: number;
  subject: string;
  /** 0 for the patch's own diff, else the quote depth. */
  depth: number;
  line: number;
  facts: PatchFacts;
}

export const run: Command = async (argv, io) => {
  const args = parseCommand(spec, argv, io);
  if (typeof args === 'number') return args;
  const json = Boolean(args.values.json);
  const tree = args.values.tree as string | undefined;
  if (tree !== undefined && !isDirectory(tree)) {
    io.err(`patchlens facts: --tree ${tree}: not a directory\n`);
    return EXIT_USAGE;
  }
  const input = readInputs(args.files, io, spec.name);
  if (!input) return EXIT_USAGE;
  const inputs = input.inputs;
  // The binding (native, else wasm) loads before the first parse.
  await loadCParser().catch(() => null);
  const reads = [];
  const all: DiffFacts[] = [];
  for (const input of inputs) {
    const read = await readInput(input.file, input.data);
    reads.push(read);
    for (const m of read.messages) {
      for (const d of diffsOf(m.body, m.bodyMap, m.quotedDiffs)) {
        const facts = extractPatchFacts({ file: input.file, diff: d.text, map: d.map }, tree ? { tree } : {});
        all.push({ file: input.file, message: m.index, subject: m.subject, depth: d.depth, line: d.map.line(0), facts });
      }
    }
  }
  io.out(json ? JSON.stringify(all, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n' : all.map(text).join('\n'));
  return input.unreadable || reportNoMail(reads, io, spec.name) ? EXIT_USAGE : EXIT_OK;
};

/**
 * The message's diffs: its own, and the quoted ones.  Quoted pieces the mail
 * reader found are joined per depth (joinQuoted); depths it found nothing at
 * come from findDiffs.
 */
function diffsOf(body: string, bodyMap: LineMap, quoted: { text: string; map: LineMap; depth: number }[]): FoundDiff[] {
  const found = findDiffs(body, bodyMap);
  const joined = joinQuoted(quoted);
  const depths = new Set(joined.map((d) => d.depth));
  return [...found.filter((d) => d.depth === 0 || !depths.has(d.depth)), ...joined].sort((a, b) => a.map.line(0) - b.map.line(0));
}

function at(p: SourcePos, file: string): string {
  return p.file === file ? `${p.line}:${p.column}` : `${p.file}:${p.line}:${p.column}`;
}

function text(d: DiffFacts): string {
  const out: string[] = [];
  const f = d.facts;
  out.push(`${d.file}:${d.line}: ${d.depth ? `diff quoted at depth ${d.depth}` : 'diff'}${d.subject ? ` of "${d.subject}"` : ''}`);
  for (const fn of f.functions) out.push(...functionText(fn, d.file));
  for (const def of f.defines) {
    out.push(`  define ${def.change}${def.name} ${def.text}${def.value !== null ? ` = 0x${def.value.toString(16)}` : ''}  ${def.path} @${at(def.pos, d.file)}`);
  }
  for (const c of f.comments) if (c.identifiers.length) out.push(`  comment ${c.change} @${at(c.pos, d.file)} names ${c.identifiers.join(', ')}`);
  for (const s of f.skipped) out.push(`  skipped ${s.path}: ${s.reason}`);
  for (const n of f.notApplied ?? []) out.push(`  not applied: ${n.path} hunk ${n.hunk + 1} @${at(n.pos, d.file)}: ${n.reason}`);
  for (const p of f.problems ?? []) out.push(`  problem ${p.kind} @${at(p, d.file)}: ${p.message}`);
  if (f.parse) out.push(`  parse: ${f.parse.hunks} C hunks, ${f.parse.hunksWithErrors} with errors${f.parse.errors.length ? ' at ' + f.parse.errors.slice(0, 8).map((e) => at(e, d.file)).join(' ') : ''}`);
  return out.join('\n') + '\n';
}

function functionText(fn: FunctionFacts, file: string): string[] {
  const what = fn.added ? ' (new)' : fn.removed ? ' (removed)' : fn.hasStart ? '' : ' (from @@ context)';
  const out = [`  ${fn.image} ${fn.path} ${fn.change && fn.change !== ' ' ? fn.change : ''}${fn.name || '?'}()${what} @${at(fn.pos, file)}`];
  const flow = (items: FlowItem[], indent: string): void => {
    for (const it of items) {
      switch (it.kind) {
        case 'call':
          out.push(`${indent}${call(it.call, file)}`);
          break;
        case 'if':
          out.push(`${indent}if (${it.condition}) @${at(it.pos, file)}${it.conditionCalls.length ? '  calls ' + it.conditionCalls.map((c) => call(c, file)).join(', ') : ''}`);
          flow(it.then, indent + '  ');
          if (it.else) {
            out.push(`${indent}else`);
            flow(it.else, indent + '  ');
          }
          break;
        case 'loop':
          out.push(`${indent}loop ${it.header} @${at(it.pos, file)}`);
          flow(it.body, indent + '  ');
          break;
        case 'return':
          out.push(`${indent}return ${it.value} @${at(it.pos, file)}`);
          break;
        case 'goto':
          out.push(`${indent}goto ${it.label} @${at(it.pos, file)}`);
          break;
        case 'label':
          out.push(`${indent}${it.label}: @${at(it.pos, file)}`);
          break;
        case 'assign':
          out.push(`${indent}${it.assign.change}${it.assign.target} ${it.assign.op} ${it.assign.value} @${at(it.assign.pos, file)}`);
          break;
        default:
          out.push(`${indent}${it.kind} @${at(it.pos, file)}`);
      }
    }
  };
  flow(fn.flow, '    ');
  for (const c of fn.comments) if (c.identifiers.length) out.push(`    comment ${c.change} @${at(c.pos, file)} names ${c.identifiers.join(', ')}`);
  if (fn.parseErrors.length) out.push(`    parse errors at ${fn.parseErrors.map((e) => at(e, file)).join(' ')}`);
  return out;
}

function call(c: CallFact, file: string): string {
  return `${c.change}${c.name}(${c.args.join(', ')}) @${at(c.pos, file)}`;
}
