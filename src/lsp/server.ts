/**
 * The PatchLens language server: the core's findings, hovers, code lenses,
 * quick fixes and outline for any LSP editor (VS Code through the
 * extension, Neovim, Emacs eglot, Helix).  No `vscode` import: the server
 * talks only LSP, over the connection it is given (stdio for
 * `patchlens lsp --stdio`, the same for the extension).
 *
 * Settings come from `workspace/configuration`, section `patchlens`, with
 * the names of the VS Code settings.  The work per document is in
 * documents.ts; the answers in features.ts and requests.ts.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind, CodeLensRefreshRequest, DidChangeConfigurationNotification, ResponseError, TextDocuments, TextDocumentSyncKind,
  type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Model } from '../core/model/types.js';
import { analyze } from '../editor/analyze.js';
import { inputName } from './convert.js';
import { DocumentAnalyzer, type DocAnalysis } from './documents.js';
import { codeActions, codeLenses, documentSymbols, hoverAt } from './features.js';
import {
  ANALYZED_NOTIFICATION, EDITOR_COMMANDS, REQUESTS, SERVER_COMMANDS,
  type AddToReplyArgs, type AnalyzedParams, type ComposeReplyParams, type SeriesParams, type SeriesResult, type StatsResult, type TrailersParams, type UriParams,
} from './protocol.js';
import { replyLinesFor, replyOf, seriesOf, summaryOf, trailersOf } from './requests.js';
import { readSettings, type Settings } from './settings.js';

/** What the client tells the server in `initializationOptions`. */
interface InitOptions {
  /**
   * The client runs the editor commands itself (the VS Code extension): the
   * server then advertises none, so the client does not register them twice,
   * and code lenses use the extension's command.
   */
  editorCommands?: boolean;
  /** Settings for clients without `workspace/configuration`. */
  settings?: unknown;
}

/** Hover times kept for `patchlens/stats`. */
const MAX_HOVER_TIMES = 1000;
/** Files one `patchlens/series` request may read. */
const MAX_SERIES_FILES = 5000;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let folders: string[] = [];
  let canConfigure = false;
  let canRefreshLenses = false;
  let init: InitOptions = {};
  /** Settings per document URI, until the configuration changes. */
  const settingsMemo = new Map<string, Promise<Settings>>();
  let pushedSettings: unknown;
  const hoverMs: number[] = [];

  const folderOf = (uri: string): string | undefined => {
    const file = inputName(uri);
    const inside = folders.filter((f) => file === f || file.startsWith(f.endsWith('/') ? f : f + '/'));
    return inside.sort((a, b) => b.length - a.length)[0] ?? folders[0];
  };

  const settingsOf = (uri: string): Promise<Settings> => {
    let s = settingsMemo.get(uri);
    if (!s) {
      s = (async () => {
        let section: unknown = pushedSettings ?? init.settings;
        if (canConfigure) {
          try {
            section = await connection.workspace.getConfiguration({ scopeUri: uri, section: 'patchlens' });
          } catch {
            // A client that says it can but fails: defaults.
          }
        }
        return readSettings(section, folderOf(uri));
      })();
      settingsMemo.set(uri, s);
    }
    return s;
  };

  // The model answers hovers on helpers and flags; it follows patchlens.modelFile.
  const models = new Map<string, Promise<Model>>();
  const modelFor = (modelFile: string | undefined): Promise<Model> => {
    const key = modelFile ?? '';
    let m = models.get(key);
    if (!m) {
      m = (async () => {
        const { applyModelJson, defaultModel } = await import('../core/model/index.js');
        const model = defaultModel();
        if (modelFile) {
          try {
            applyModelJson(model, await readFile(modelFile, 'utf8'), modelFile);
          } catch {
            // review() reports the unreadable file as a problem at line 1.
          }
        }
        return model;
      })();
      models.set(key, m);
    }
    return m;
  };

  const analyzer = new DocumentAnalyzer({
    text: (uri) => {
      const d = documents.get(uri);
      return d ? { text: d.getText(), version: d.version } : undefined;
    },
    settings: settingsOf,
    publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version: version || undefined, diagnostics }),
    analyzed: (a: DocAnalysis, diagnostics: number) => {
      const params: AnalyzedParams = { uri: a.uri, version: a.version, diagnostics, ms: a.ms, runs: analyzer.runs };
      void connection.sendNotification(ANALYZED_NOTIFICATION, params);
      if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    },
    log: (m) => connection.console.error(m),
  });

  /** The analysis of the document's current version, or an error the client shows. */
  const need = async (uri: string): Promise<DocAnalysis> => {
    const a = await analyzer.current(uri);
    if (!a) throw new ResponseError(-32602, `PatchLens: ${uri} is not an open document`);
    return a;
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    init = (params.initializationOptions ?? {}) as InitOptions;
    const ws = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders = ws.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    canConfigure = !!params.capabilities.workspace?.configuration;
    canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    const commands = init.editorCommands
      ? []
      : [...Object.values(SERVER_COMMANDS), EDITOR_COMMANDS.addToReply, EDITOR_COMMANDS.disableRule, EDITOR_COMMANDS.useRecoveredAddress, EDITOR_COMMANDS.summarizeSeries];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: { label: 'PatchLens' },
        executeCommandProvider: { commands },
      },
      serverInfo: { name: 'patchlens' },
    };
  });

  connection.onInitialized(() => {
    if (canConfigure) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'patchlens' }).catch(() => undefined);
  });

  connection.onDidChangeConfiguration((change) => {
    const s = (change.settings as { patchlens?: unknown } | null)?.patchlens;
    if (s !== undefined) pushedSettings = s;
    settingsMemo.clear();
    models.clear();
    analyzer.refreshAll();
  });

  // TextDocuments fires onDidChangeContent for the open too: the open is analysed at once, edits after the debounce.
  const opening = new Set<string>();
  documents.onDidOpen((e) => {
    opening.add(e.document.uri);
    analyzer.open(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    if (opening.delete(e.document.uri)) return;
    void analyzer.change(e.document.uri);
  });
  documents.onDidClose((e) => {
    opening.delete(e.document.uri);
    settingsMemo.delete(e.document.uri);
    analyzer.close(e.document.uri);
  });

  connection.onHover(async (p) => {
    const d = documents.get(p.textDocument.uri);
    const latest = analyzer.latest(p.textDocument.uri);
    const a = latest && d && latest.version === d.version ? latest : await analyzer.current(p.textDocument.uri);
    if (!a) return null;
    const model = await modelFor((await settingsOf(a.uri)).options.modelFile);
    const t0 = performance.now();
    const h = hoverAt(a, p.position, model);
    hoverMs.push(performance.now() - t0);
    if (hoverMs.length > MAX_HOVER_TIMES) hoverMs.splice(0, hoverMs.length - MAX_HOVER_TIMES / 2);
    return h;
  });

  connection.onCodeLens(async (p) => {
    const a = await analyzer.current(p.textDocument.uri);
    return a ? codeLenses(a, !!init.editorCommands) : [];
  });

  connection.onCodeAction(async (p) => {
    const a = await analyzer.current(p.textDocument.uri);
    return a ? codeActions(a, p.range) : [];
  });

  connection.onDocumentSymbol(async (p) => {
    const a = await analyzer.current(p.textDocument.uri);
    return a ? documentSymbols(a) : [];
  });

  connection.onRequest(REQUESTS.summary, async (p: UriParams) => {
    const a = await need(p.uri);
    return { summary: summaryOf(a.analysis), file: a.file };
  });

  connection.onRequest(REQUESTS.series, async (p: SeriesParams): Promise<SeriesResult> => {
    if (p.uris?.length) {
      const uris = p.uris.slice(0, MAX_SERIES_FILES);
      const inputs = [];
      for (const uri of uris) {
        const open = documents.get(uri);
        if (open) inputs.push({ file: inputName(uri), data: open.getText() });
        else if (uri.startsWith('file:')) {
          try {
            inputs.push({ file: inputName(uri), data: await readFile(fileURLToPath(uri)) });
          } catch {
            // A file removed since it was listed: the others still make series.
          }
        }
      }
      const a = await analyze(inputs, (await settingsOf(uris[0])).options);
      return { files: inputs.map((i) => i.file), series: seriesOf(a), findings: a.findings.length };
    }
    if (!p.uri) return { files: [], series: [], findings: 0 };
    const a = await need(p.uri);
    return { files: [a.file], series: seriesOf(a.analysis), findings: a.analysis.findings.length };
  });

  connection.onRequest(REQUESTS.trailers, async (p: TrailersParams) => {
    const a = await need(p.uri);
    return trailersOf(a.analysis, (p.recovered ?? []).map((r) => ({ file: a.file, line: r.line, email: r.email })));
  });

  connection.onRequest(REQUESTS.composeReply, async (p: ComposeReplyParams) => ({ text: replyOf(await need(p.uri), p) }));

  connection.onRequest(REQUESTS.stats, (): StatsResult => ({
    hoverMs: [...hoverMs],
    runs: analyzer.runs,
    cache: { ...analyzer.cache.stats },
    documents: analyzer.uris().flatMap((uri) => {
      const a = analyzer.latest(uri);
      return a ? [{ uri, version: a.version, analysisMs: a.analysis.ms }] : [];
    }),
  }));

  // For editors without the extension: each command returns data or text to show.
  connection.onExecuteCommand(async (p) => {
    const args = p.arguments ?? [];
    const uriArg = (): string => {
      const x = args[0] as unknown;
      if (typeof x === 'string') return x;
      if (x && typeof x === 'object' && typeof (x as { uri?: unknown }).uri === 'string') return (x as { uri: string }).uri;
      throw new ResponseError(-32602, `${p.command}: the first argument must be a document URI`);
    };
    switch (p.command) {
      case SERVER_COMMANDS.summarize:
      case EDITOR_COMMANDS.summarizeSeries:
        return summaryOf((await need(uriArg())).analysis);
      case SERVER_COMMANDS.collectTrailers:
        return trailersOf((await need(uriArg())).analysis);
      case SERVER_COMMANDS.composeReply: {
        const o = (args[1] ?? {}) as Partial<ComposeReplyParams>;
        return { text: replyOf(await need(uriArg()), { uri: uriArg(), line: o.line ?? 1, tag: o.tag ?? null, notes: o.notes ?? [], identity: o.identity ?? null }) };
      }
      case EDITOR_COMMANDS.addToReply: {
        const r = args[0] as AddToReplyArgs;
        return { text: replyLinesFor(await need(r.uri), r.line, r.rule, r.message) };
      }
      case EDITOR_COMMANDS.disableRule: {
        const rule = String(args[0] ?? '');
        return { text: `Add ${JSON.stringify(rule)} to the setting patchlens.rules.disabled (e.g. settings = { patchlens = { rules = { disabled = { ${JSON.stringify(rule)} } } } } in Neovim's client config).` };
      }
      case EDITOR_COMMANDS.useRecoveredAddress: {
        const r = args[0] as { recovered?: string };
        return { text: `Use <${String(r?.recovered ?? '')}> for this tag in the am-ready output.` };
      }
      default:
        throw new ResponseError(-32601, `PatchLens: unknown command ${p.command}`);
    }
  });

  documents.listen(connection);
  connection.listen();
}
