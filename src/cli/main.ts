/**
 * `patchlens COMMAND [options] [FILE...]`: the core as a command-line tool
 * for CI and for reviewers at a terminal.  Each command lives in commands/
 * with its option table (args.ts reads it with util.parseArgs and writes its
 * help); this file only dispatches.
 *
 * Exit status, the same for every command (README, "Exit status"):
 *   0  done, every input read;
 *   1  `check`: a finding reaches --fail-on;
 *   2  bad usage, or an input that is missing, a directory, unreadable,
 *      empty or not mail (each named on stderr; the rest is still read).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { CliIO, Command } from './io.js';
import { EXIT_USAGE } from './io.js';
import { packageVersion } from './files.js';

/** Commands load lazily: `summarize` never pays for tree-sitter.  One entry per command. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  summarize: async () => (await import('./commands/summarize.js')).run,
  trailers: async () => (await import('./commands/trailers.js')).run,
  diff: async () => (await import('./commands/diff.js')).run,
  check: async () => (await import('./commands/check.js')).run,
  facts: async () => (await import('./commands/facts.js')).run,
  lsp: async () => (await import('./commands/lsp.js')).run,
};

/** One line per command for `patchlens --help`; each command's own help comes from its option table. */
const SUMMARIES: Record<string, string> = {
  summarize: 'series, patches, authors, files, trailers',
  trailers: 'tags per patch and person; am-ready mbox (--am)',
  diff: 'what changed between versions of a series',
  check: 'VMA locking checks (text, JSON, SARIF, b4 review)',
  facts: 'C facts per hunk (debug view)',
  lsp: 'language server on --stdio (Neovim, Emacs, VS Code)',
};

function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'usage: patchlens <command> [options] [FILE...]',
    '       patchlens help <command>     the options of a command (or: patchlens <command> --help)',
    '       patchlens --version          version, and which tree-sitter binding is in use',
    '',
    'commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${SUMMARIES[n] ?? ''}`.trimEnd()),
    '',
    'FILE is a .patch, .mbox, .eml or saved archive page; - is standard input.',
    'With no FILE, standard input is read when it is not a terminal.',
    'Exit status: 0 done; 1 check findings reach --fail-on; 2 bad usage or an input that is missing, unreadable, empty or not mail.',
    '',
  ].join('\n');
}

export const nodeIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path),
  writeFile: (path, data) => writeFileSync(path, data),
  readStdin: () => readFileSync(0),
  get stdinIsTTY() {
    return Boolean(process.stdin.isTTY);
  },
};

/** `patchlens --version`: the version, and the tree-sitter binding the checks parse C with. */
async function versionText(): Promise<string> {
  const { loadCParser, cParserBinding } = await import('../core/c/parser.js');
  let binding: string;
  try {
    binding = await loadCParser();
  } catch (e) {
    binding = `none: ${(e as Error).message}`;
  }
  const { nativeFailure } = cParserBinding();
  const forced = nativeFailure?.startsWith('not tried');
  const why = binding !== 'wasm' || !nativeFailure ? '' : forced ? ' (forced by PATCHLENS_TREE_SITTER=wasm)' : ` (the native binding did not load: ${nativeFailure})`;
  return `patchlens ${packageVersion()}\ntree-sitter: ${binding}${why}\n`;
}

export async function main(argv: string[], io: CliIO = nodeIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage());
    return EXIT_USAGE;
  }
  if (name === '-h' || name === '--help') {
    io.out(usage());
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(await versionText());
    return 0;
  }
  if (name === 'help') {
    if (rest.length === 0) {
      io.out(usage());
      return 0;
    }
    return dispatch(rest[0]!, ['--help'], io);
  }
  return dispatch(name, rest, io);
}

async function dispatch(name: string, argv: string[], io: CliIO): Promise<number> {
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`patchlens: unknown command '${name}'\n${usage()}`);
    return EXIT_USAGE;
  }
  let command: Command;
  try {
    command = await load();
  } catch (e) {
    io.err(`patchlens: command '${name}' is not available: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  return command(argv, io);
}
