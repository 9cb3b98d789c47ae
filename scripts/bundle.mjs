#!/usr/bin/env node
/**
 * Bundles the VS Code extension into one CommonJS file for the extension
 * host: dist/extension.cjs, the language client it loads with the first
 * patch mail (dist/languageclient.cjs) and the language server it starts
 * (dist/server.cjs).  All three ship in the VSIX; the CLI's `patchlens lsp`
 * runs the same server from dist/cli/.  The core is ESM TypeScript; esbuild turns it
 * into CJS.  tree-sitter and tree-sitter-c stay external: they are native
 * (N-API prebuilds for every platform) and ship in the VSIX as node_modules.
 *
 *   node scripts/bundle.mjs            the extension and the CLI (dist/cli/)
 *   node scripts/bundle.mjs --e2e DIR  also the e2e test suites into DIR
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** import.meta.url has no meaning in CJS: give the core the bundle's own URL. */
const importMetaShim = {
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'tree-sitter', 'tree-sitter-c', 'web-tree-sitter'],
  logLevel: 'warning',
  legalComments: 'none',
  ...importMetaShim,
};

export async function bundleExtension() {
  const shared = { ...common, minify: true, keepNames: true, sourcemap: 'linked', metafile: false };
  await Promise.all([
    build({ ...shared, entryPoints: [join(root, 'src/extension.ts')], outfile: join(root, 'dist/extension.cjs') }),
    // The language server: its own process, started by the extension's client with --stdio.
    build({ ...shared, entryPoints: [join(root, 'src/lsp/main.ts')], outfile: join(root, 'dist/server.cjs') }),
    // vscode-languageclient, required by the extension when the first patch mail starts the server.
    build({ ...shared, entryPoints: [join(root, 'src/vscode/languageClientModule.ts')], outfile: join(root, 'dist/languageclient.cjs') }),
  ]);
}

/**
 * The `patchlens` CLI as ESM chunks in dist/cli/: one file to load instead
 * of dozens of modules saves about a quarter of the CPU a short run costs
 * (bench:peers measured ~140 -> ~105 ms for `check`).  Code splitting keeps
 * the commands lazy: `summarize` never loads tree-sitter.
 */
export async function bundleCli() {
  await build({
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    external: ['tree-sitter', 'tree-sitter-c', 'web-tree-sitter'],
    logLevel: 'warning',
    legalComments: 'none',
    entryPoints: { main: join(root, 'src/cli/main.ts') },
    outdir: join(root, 'dist/cli'),
    chunkNames: 'chunk-[hash]',
    sourcemap: 'linked',
    // vscode-languageserver is CommonJS and requires Node's modules: give its chunks a require().
    banner: { js: "import { createRequire as __plCreateRequire } from 'node:module'; const require = __plCreateRequire(import.meta.url);" },
  });
}

export async function bundleE2e(outDir, ext = '.cjs') {
  await build({
    ...common,
    entryPoints: { suite: join(root, 'test/e2e/suite/index.ts') },
    outdir: outDir,
    outExtension: { '.js': ext },
    sourcemap: 'inline',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleExtension();
  await bundleCli();
  const i = process.argv.indexOf('--e2e');
  if (i > 0) await bundleE2e(process.argv[i + 1]);
}
