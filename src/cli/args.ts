/**
 * One option table per command, read by Node's util.parseArgs: the table
 * gives the parser its options, the help text (`patchlens help CMD`,
 * `patchlens CMD --help`), the allowed values, and errors that name the
 * option.  Operands are input files; `-` is standard input.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliIO } from './io.js';
import { EXIT_USAGE } from './io.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder of a string option's value in the help (`FILE`, `DIR`). */
  value?: string;
  /** The allowed values of a string option. */
  choices?: readonly string[];
  default?: string;
  /** One line for the help. */
  help: string;
}

export interface CommandSpec {
  name: string;
  /** One line: what the command prints. */
  summary: string;
  /** The operands in the usage line, e.g. `[FILE...]`. */
  operands: string;
  options: Record<string, OptionSpec>;
  /** Paragraphs after the option list. */
  notes?: string;
}

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  files: string[];
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'print this help and exit' };

/** The help of one command, generated from its table. */
export function helpText(spec: CommandSpec): string {
  const options = { ...spec.options, help: HELP };
  const usageOpts = Object.entries(spec.options)
    .map(([name, o]) => `[--${name}${o.type === 'string' ? ` ${o.choices ? o.choices.join('|') : (o.value ?? 'VALUE')}` : ''}]`)
    .join(' ');
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? (o.choices ? o.choices.join('|') : 'VALUE')}` : ''}`;
    const dflt = o.default !== undefined ? ` (default: ${o.default})` : '';
    return [flag, `${o.help}${dflt}`] as const;
  });
  const width = Math.min(34, Math.max(...rows.map(([f]) => f.length)));
  const lines = [
    `usage: patchlens ${spec.name} ${usageOpts}${usageOpts ? ' ' : ''}${spec.operands}`,
    '',
    spec.summary,
    '',
    'options:',
    ...rows.map(([f, h]) => (f.length > width ? `  ${f}\n  ${''.padEnd(width)}  ${h}` : `  ${f.padEnd(width)}  ${h}`)),
    '',
    'FILE is a .patch, .mbox, .eml or saved archive page; - is standard input.',
    'With no FILE, standard input is read when it is not a terminal.',
  ];
  if (spec.notes) lines.push('', spec.notes);
  return lines.join('\n') + '\n';
}

/**
 * Parses argv by the command's table.  A number is the exit status of a
 * command that is done: its help was printed (0) or the usage was wrong (2,
 * with one line naming the option, then the usage).
 */
export function parseCommand(spec: CommandSpec, argv: string[], io: CliIO): Parsed | number {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    return usageError(spec, io, parseError(e as Error & { code?: string }));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    io.out(helpText(spec));
    return 0;
  }
  for (const [name, o] of Object.entries(spec.options)) {
    const v = values[name];
    if (typeof v === 'string' && o.choices && !o.choices.includes(v)) {
      return usageError(spec, io, `--${name} must be one of ${o.choices.join(', ')} (got '${v}')`);
    }
    if (typeof v === 'string' && v === '' && o.type === 'string') return usageError(spec, io, `--${name} needs a ${o.value ?? 'value'}`);
    if (v === undefined && o.default !== undefined) values[name] = o.default;
  }
  return { values, files: parsed.positionals };
}

/** parseArgs' errors, shortened to name the option first. */
function parseError(e: Error & { code?: string }): string {
  const option = /'(-[^' ]*)/.exec(e.message)?.[1];
  if (!option) return e.message;
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return /argument missing/.test(e.message) ? `${option} needs a value` : `${option} takes no value`;
  return e.message;
}

function usageError(spec: CommandSpec, io: CliIO, message: string): number {
  io.err(`patchlens ${spec.name}: ${message}\n${helpText(spec).split('\n')[0]}\nTry 'patchlens help ${spec.name}'.\n`);
  return EXIT_USAGE;
}
