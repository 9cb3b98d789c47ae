/**
 * The tree-sitter C parser, created on first use and kept for the process:
 * loading the native module and the grammar costs tens of milliseconds, and
 * commands that never look at C (summarize, trailers) must not pay for it.
 */
import type ParserType from 'tree-sitter';
import { createRequire } from 'node:module';

let parser: ParserType | null = null;

export function cParser(): ParserType {
  if (parser) return parser;
  // Both packages are CommonJS native modules: require them lazily.
  const require = createRequire(import.meta.url);
  const Parser = require('tree-sitter') as typeof ParserType;
  const C = require('tree-sitter-c') as unknown;
  const p = new Parser();
  p.setLanguage(C as Parameters<ParserType['setLanguage']>[0]);
  parser = p;
  return p;
}

/** Parses C text; the buffer is sized to the text so long files parse whole. */
export function parseC(text: string): ParserType.Tree {
  return cParser().parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 16) });
}
