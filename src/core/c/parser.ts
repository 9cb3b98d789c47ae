/**
 * The tree-sitter C parser, created on first use and kept for the process:
 * loading the binding and the grammar costs tens of milliseconds, and
 * commands that never look at C (summarize, trailers) must not pay for it.
 *
 * Two bindings give the same trees (same grammar, tree-sitter-c 0.24.1):
 *  - native: the `tree-sitter` Node addon with tree-sitter-c's addon, the
 *    fast one.  It needs a prebuild for this platform whose C++ runtime the
 *    machine has (the linux-x64 prebuild of tree-sitter 0.25.1 wants
 *    GLIBCXX_3.4.31, which Debian 12 lacks), or a compiler at `npm ci`.
 *  - wasm: `web-tree-sitter` with the `tree-sitter-c.wasm` that tree-sitter-c
 *    ships (ABI 15, which web-tree-sitter 0.25 reads).  Pure JS + WebAssembly:
 *    it loads wherever Node runs, including VS Code for the Web.
 * The native one is tried first; when it cannot load, the wasm one is used.
 * PATCHLENS_TREE_SITTER=wasm forces the wasm one (tests of the fallback);
 * =native forbids the fallback.
 *
 * web-tree-sitter initialises asynchronously, so front ends call
 * loadCParser() once before analysing (review() does); after that parsing is
 * synchronous with either binding.
 */
import { createRequire } from 'node:module';

export type Binding = 'native' | 'wasm';

/** The part of a tree both bindings share and syntax.ts reads. */
export interface CTree {
  rootNode: { hasError: boolean };
  walk(): CTreeCursor;
}
export interface CTreeCursor {
  nodeType: string;
  nodeTypeId: number;
  nodeIsNamed: boolean;
  nodeIsMissing: boolean;
  startIndex: number;
  endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

interface LoadedParser {
  binding: Binding;
  parse(text: string): CTree;
  /** Frees a tree's memory: wasm trees live in the WebAssembly heap, not the JS one. */
  free(tree: CTree): void;
}

let loaded: LoadedParser | null = null;
let loading: Promise<LoadedParser> | null = null;
/** Why the native binding did not load (shown by `patchlens --version`). */
let nativeFailure: string | null = null;

function wanted(): Binding | 'any' {
  const v = (process.env.PATCHLENS_TREE_SITTER ?? '').toLowerCase();
  return v === 'wasm' || v === 'native' ? v : 'any';
}

function loadNative(): LoadedParser {
  // Both packages are CommonJS native modules: require them lazily.
  const require = createRequire(import.meta.url);
  type NativeParser = import('tree-sitter');
  const Parser = require('tree-sitter') as typeof import('tree-sitter');
  const C = require('tree-sitter-c') as unknown;
  const p: NativeParser = new Parser();
  p.setLanguage(C as Parameters<NativeParser['setLanguage']>[0]);
  return {
    binding: 'native',
    // The buffer is sized to the text so long files parse whole.
    parse: (text) => p.parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 16) }) as unknown as CTree,
    free: () => {},
  };
}

async function loadWasm(): Promise<LoadedParser> {
  const require = createRequire(import.meta.url);
  const { Parser, Language } = await import('web-tree-sitter');
  // Both .wasm files are found next to their packages' entry points.
  const runtime = require.resolve('web-tree-sitter/tree-sitter.wasm');
  await Parser.init({ locateFile: () => runtime });
  const grammar = require.resolve('tree-sitter-c/tree-sitter-c.wasm');
  const C = await Language.load(grammar);
  const p = new Parser();
  p.setLanguage(C);
  return {
    binding: 'wasm',
    parse: (text) => {
      const tree = p.parse(text);
      if (!tree) throw new Error('tree-sitter (wasm) returned no tree');
      return tree as unknown as CTree;
    },
    free: (tree) => (tree as unknown as { delete(): void }).delete(),
  };
}

function tryNative(): LoadedParser | null {
  try {
    return loadNative();
  } catch (e) {
    nativeFailure = (e as Error).message.split('\n')[0] ?? String(e);
    return null;
  }
}

/** Loads a binding (native first, else wasm); resolves to the one in use. */
export async function loadCParser(): Promise<Binding> {
  if (loaded) return loaded.binding;
  loading ??= (async () => {
    const want = wanted();
    if (want === 'wasm') nativeFailure = 'not tried: PATCHLENS_TREE_SITTER=wasm';
    const native = want === 'wasm' ? null : tryNative();
    if (native) return native;
    if (want === 'native') throw new Error(`the native tree-sitter binding did not load: ${nativeFailure}`);
    return loadWasm();
  })();
  try {
    loaded = await loading;
  } catch (e) {
    loading = null; // a later call may try again
    throw e;
  }
  return loaded.binding;
}

/**
 * The parser in use.  Synchronous callers that did not await loadCParser()
 * get the native binding when it loads; the wasm one needs loadCParser().
 */
function parser(): LoadedParser {
  if (loaded) return loaded;
  if (wanted() !== 'wasm') {
    const native = tryNative();
    if (native) return (loaded = native);
  }
  throw new Error(`tree-sitter is not loaded (native binding: ${nativeFailure ?? 'not tried'}); call loadCParser() first`);
}

/** Which binding is in use, and why the native one is not when it is not. */
export function cParserBinding(): { binding: Binding | null; nativeFailure: string | null } {
  return { binding: loaded?.binding ?? null, nativeFailure };
}

/**
 * Parses C text with the binding in use.  A wasm tree must be given back to
 * freeCTree(); withParsedC() does both.
 */
export function parseC(text: string): CTree {
  return parser().parse(text);
}

export function freeCTree(tree: CTree): void {
  loaded?.free(tree);
}

/** Parses C text and hands the tree to `use`; the tree is freed after. */
export function withParsedC<T>(text: string, use: (tree: CTree) => T): T {
  const tree = parseC(text);
  try {
    return use(tree);
  } finally {
    freeCTree(tree);
  }
}
