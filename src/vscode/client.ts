/**
 * The PatchLens language client: VS Code's side of `patchlens lsp`.
 * Diagnostics, hovers, code lenses, quick fixes and the outline come from
 * the server (src/lsp/, the same server Neovim and Emacs use), which runs
 * the core in its own process: nothing is analysed on the extension host's
 * thread.  The server starts with the first patch-mail document, so
 * activation stays cheap.
 *
 * The webview, the tree and the commands ask the server for data through
 * PatchLens's own requests (src/lsp/protocol.ts).
 */
import * as vscode from 'vscode';
import { createRequire } from 'node:module';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node.js';
import { ANALYZED_NOTIFICATION, REQUESTS, type AnalyzedParams, type StatsResult } from '../lsp/protocol.js';

export const LANGUAGE = 'patch-mail';

/** How long the client waits for VS Code to show the diagnostics the server says it published. */
const SHOW_WAIT_MS = 5000;

export class PatchLensClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private readonly done = new Map<string, AnalyzedParams>();
  private readonly emitter = new vscode.EventEmitter<AnalyzedParams>();
  /** Fires when the server finished a document version and VS Code shows its diagnostics. */
  readonly onDidAnalyze = this.emitter.event;
  /** ms from the open or edit to the complete diagnostics, per URI (the server measures it). */
  readonly timings = new Map<string, number>();
  /** Analyses the server has run, as it last reported. */
  runs = 0;

  /** `serverModule`: dist/server.cjs; `clientModule`: dist/languageclient.cjs. */
  constructor(private readonly serverModule: string, private readonly clientModule: string) {
    // The server starts with the first patch mail, not with the extension.
    const maybeStart = (d: vscode.TextDocument): void => {
      if (d.languageId === LANGUAGE) void this.ready();
    };
    this.subs.push(vscode.workspace.onDidOpenTextDocument(maybeStart));
    for (const d of vscode.workspace.textDocuments) maybeStart(d);
  }

  get started(): boolean {
    return this.client !== undefined;
  }

  /** The running client; starts the server on first use. */
  ready(): Promise<LanguageClient> {
    this.starting ??= this.start();
    return this.starting;
  }

  private async start(): Promise<LanguageClient> {
    // Loaded with the first patch mail, not at activation (scripts/bundle.mjs builds it apart).
    const { LanguageClient, TransportKind } = createRequire(import.meta.url)(this.clientModule) as typeof import('./languageClientModule.js');
    const run = { module: this.serverModule, transport: TransportKind.stdio };
    const serverOptions: ServerOptions = { run, debug: run };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: LANGUAGE }],
      // The extension runs the quick fixes' commands and the lens command itself.
      initializationOptions: { editorCommands: true },
      outputChannelName: 'PatchLens',
    };
    const client = new LanguageClient('patchlens', 'PatchLens', serverOptions, clientOptions);
    client.onNotification(ANALYZED_NOTIFICATION, (p: AnalyzedParams) => void this.analyzed(p));
    await client.start();
    this.client = client;
    return client;
  }

  /** The server's word that a version is done: recorded once VS Code shows as many diagnostics. */
  private async analyzed(p: AnalyzedParams): Promise<void> {
    const uri = vscode.Uri.parse(p.uri);
    const t0 = Date.now();
    while (vscode.languages.getDiagnostics(uri).length !== p.diagnostics && Date.now() - t0 < SHOW_WAIT_MS) {
      await new Promise((r) => setTimeout(r, 5));
    }
    this.runs = Math.max(this.runs, p.runs);
    this.timings.set(p.uri, p.ms);
    this.done.set(p.uri, p);
    this.emitter.fire(p);
  }

  /** The server's report on this exact version of the document, once it is analysed and shown. */
  analysisOf(doc: vscode.TextDocument): AnalyzedParams | undefined {
    const p = this.done.get(doc.uri.toString());
    return p && p.version === doc.version ? p : undefined;
  }

  async request<R>(method: string, params: unknown): Promise<R> {
    const c = await this.ready();
    return c.sendRequest<R>(method, params);
  }

  stats(): Promise<StatsResult> {
    return this.request<StatsResult>(REQUESTS.stats, {});
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
    void this.client?.stop();
  }
}
