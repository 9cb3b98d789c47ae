/**
 * The CLI fuzzed through its own main(): real mails (the seeds and a few
 * corpus patches and threads), mutated the way hostile or broken mail is
 * (byte flips, truncation, mangled headers and MIME, broken hunks, CR runs,
 * deep C, long lines), run through every command and output format.
 *
 * A run passes when main() resolves (no throw), the exit status is 0, 1 or
 * 2, the output is whole JSON / SARIF / b4 JSON as asked, and every line
 * it reports is a line of the input.
 *
 * Used by test/unit/cli/fuzz.test.ts (bounded, in `npm test`) and by
 * test/fuzz/run.ts (`npm run fuzz -- --seconds N`).
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const fixtures = new URL('../fixtures/', import.meta.url).pathname;

/** The real mails mutated: seeds, a few corpus patches, a thread. */
export function fuzzSeeds(): Buffer[] {
  const files = [
    ...readdirSync(join(fixtures, 'seeds')).filter((f) => f.endsWith('.txt')).map((f) => join(fixtures, 'seeds', f)),
    ...readdirSync(join(fixtures, 'corpus/real')).filter((f) => f.endsWith('.patch')).sort().slice(0, 6).map((f) => join(fixtures, 'corpus/real', f)),
  ];
  return files.map((f) => readFileSync(f));
}

/** Pieces hostile mail is made of, inserted at random places. */
const HOSTILE = [
  '\r', '\r\r\r\r', '\0', '\n\n', '\t\t\t\t\t\t\t\t', ' '.repeat(64), '{{{{{{{{{{{{{{{{', '}}}}}}}}',
  'Content-Transfer-Encoding: base64\n', 'Content-Transfer-Encoding: quoted-printable\n', '=\n', '=3D=20=C3=A9',
  'Content-Type: multipart/mixed; boundary="b"\n', '\n--b\n', '\n--b--\n', '=?utf-8?b?', '=?iso-8859-1?q?=E9?=',
  '@@ -1,99 +1,0 @@\n', '@@ -0,0 +1 @@\n+', 'diff --git a/../../etc/x.c b/../../etc/x.c\n', '--- a/x.c\n+++ b/x.c\n',
  'Signed-off-by: ', 'Reviewed-by: "<b>x</b>" <x@y.z>\n', '<script>', '@x@x@x@x', '> ', '>>>> ', 'From ', 'From: \n',
  'Subject: [PATCH 1/0] \n', 'In-Reply-To: <a@b>\n', 'References: <a@b> <a@b> <a@b>\n', '\\\n', '/*', '*/', '#if 0\n', '#endif\n',
  'vma_start_write(vma);\n', 'mmap_write_lock(mm);\n', 'spin_lock(&ptl);\n', ' 1 file changed\n', ' x | 3 ++-\n',
];

export type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'cut'; at: number; length: number }
  | { kind: 'insert'; at: number; piece: number; times: number }
  | { kind: 'repeat-line'; at: number; times: number }
  | { kind: 'drop-newlines'; at: number; length: number };

const at = fc.nat({ max: 1 << 20 });
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at, byte: fc.nat({ max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('cut' as const), at, length: fc.nat({ max: 400 }) }),
  fc.record({ kind: fc.constant('insert' as const), at, piece: fc.nat({ max: HOSTILE.length - 1 }), times: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('repeat-line' as const), at, times: fc.integer({ min: 2, max: 200 }) }),
  fc.record({ kind: fc.constant('drop-newlines' as const), at, length: fc.nat({ max: 5000 }) }),
);

/** Mutated mails are kept under 1 MB: size is bench:linear's business, variety is the fuzzer's. */
const MAX_BYTES = 1 << 20;

export function mutate(input: Buffer, mutations: readonly Mutation[]): Buffer {
  let b = input;
  for (const m of mutations) {
    if (b.length > MAX_BYTES) b = b.subarray(0, MAX_BYTES);
    const pos = b.length ? m.at % (b.length + 1) : 0;
    switch (m.kind) {
      case 'flip':
        if (b.length) {
          b = Buffer.from(b);
          b[pos % b.length] = m.byte;
        }
        break;
      case 'truncate':
        b = b.subarray(0, pos);
        break;
      case 'cut':
        b = Buffer.concat([b.subarray(0, pos), b.subarray(pos + m.length)]);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, pos), Buffer.from(HOSTILE[m.piece]!.repeat(m.times)), b.subarray(pos)]);
        break;
      case 'repeat-line': {
        const start = b.lastIndexOf(10, pos - 1) + 1;
        const end = b.indexOf(10, pos);
        const line = b.subarray(start, end < 0 ? b.length : end + 1);
        b = Buffer.concat([b.subarray(0, start), ...Array.from({ length: m.times }, () => line), b.subarray(start)]);
        break;
      }
      case 'drop-newlines': {
        // A web copy that lost its line breaks, over a stretch of the mail.
        const piece = Buffer.from(b.subarray(pos, pos + m.length).toString('latin1').replace(/\n/g, ' '), 'latin1');
        b = Buffer.concat([b.subarray(0, pos), piece, b.subarray(pos + m.length)]);
        break;
      }
    }
  }
  return b.length > MAX_BYTES ? b.subarray(0, MAX_BYTES) : b;
}

export const COMMANDS: readonly string[][] = [
  ['summarize', '--json'],
  ['trailers', '--json'],
  ['diff', '--json'],
  ['check', '--format', 'json'],
  ['check', '--format', 'sarif'],
  ['check', '--format', 'b4'],
  ['facts', '--json'],
];

export interface FuzzCase {
  seed: number;
  mutations: Mutation[];
  command: number;
}

export function caseArb(seeds: number): fc.Arbitrary<FuzzCase> {
  return fc.record({
    seed: fc.nat({ max: seeds - 1 }),
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
    command: fc.nat({ max: COMMANDS.length - 1 }),
  });
}

/** The number of lines of the input as a reader counts them (LF, CR LF or CR ends a line). */
function lineCount(data: Buffer): number {
  const text = data.toString('latin1');
  return (text.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
}

/** Every `"line": N` of a JSON value, with the file it names when there is one. */
function reportedLines(value: unknown, out: { file?: string; line: number }[] = []): { file?: string; line: number }[] {
  if (Array.isArray(value)) for (const v of value) reportedLines(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.line === 'number' && typeof o.file === 'string') out.push({ file: o.file, line: o.line });
    for (const v of Object.values(o)) if (v && typeof v === 'object') reportedLines(v, out);
  }
  return out;
}

/** Runs one case; throws (with what went wrong) when the CLI breaks its contract. */
export async function runCase(seeds: readonly Buffer[], c: FuzzCase): Promise<void> {
  const data = mutate(seeds[c.seed]!, c.mutations);
  const argv = [...COMMANDS[c.command]!, 'fuzz.mbox'];
  const io = memoryIO(() => data);
  const code = await main(argv, io);
  const out = io.stdout;
  const err = io.stderr;
  if (code !== 0 && code !== 1 && code !== 2) throw new Error(`exit ${code}`);
  if (/internal error|mail reader failed|TypeError|RangeError/.test(err + out)) throw new Error(`internal failure: ${(err + out).slice(0, 500)}`);
  if (!out) {
    if (code === 0) throw new Error('exit 0 with no output');
    return;
  }
  const json: unknown = JSON.parse(out);
  const format = argv[2];
  if (format === 'b4') {
    if (!Array.isArray(json)) throw new Error('b4 output is not an array');
    for (const e of json as Record<string, unknown>[]) {
      if (typeof e.tool !== 'string' || !['pass', 'warn', 'fail'].includes(e.status as string)) throw new Error(`bad b4 entry ${JSON.stringify(e)}`);
    }
  } else if (format === 'sarif') {
    const s = json as { version?: string; runs?: unknown[] };
    if (s.version !== '2.1.0' || !Array.isArray(s.runs)) throw new Error('not SARIF 2.1.0');
  } else {
    const lines = lineCount(data);
    for (const r of reportedLines(json)) {
      if (r.file !== 'fuzz.mbox') continue;
      if (r.line < 1 || r.line > lines) throw new Error(`line ${r.line} of a ${lines}-line input`);
    }
  }
}
