/**
 * What the PatchLens language server and its clients agree on beyond LSP:
 * command ids, custom requests and the notification of a finished analysis.
 * Plain types and strings only: the server, the VS Code client and the
 * tests all import this file.
 */

/** Commands the editor runs (the VS Code extension implements them; the server accepts them too). */
export const EDITOR_COMMANDS = {
  addToReply: 'patchlens.addToReply',
  disableRule: 'patchlens.disableRule',
  useRecoveredAddress: 'patchlens.useRecoveredAddress',
  summarizeSeries: 'patchlens.summarizeSeries',
} as const;

/** Commands only the server runs (`workspace/executeCommand`), for editors without the extension. */
export const SERVER_COMMANDS = {
  summarize: 'patchlens.lsp.summarize',
  collectTrailers: 'patchlens.lsp.collectTrailers',
  composeReply: 'patchlens.lsp.composeReply',
} as const;

/** Arguments of `patchlens.addToReply`. */
export interface AddToReplyArgs {
  uri: string;
  /** 0-based document line of the finding. */
  line: number;
  rule: string;
  message: string;
}

/** Arguments of `patchlens.useRecoveredAddress`. */
export interface RecoveredAddressArgs {
  uri: string;
  line: number;
  /** The address other messages of the same person show. */
  recovered: string;
}

/** Custom requests (client -> server). */
export const REQUESTS = {
  summary: 'patchlens/summary',
  series: 'patchlens/series',
  trailers: 'patchlens/trailers',
  composeReply: 'patchlens/composeReply',
  stats: 'patchlens/stats',
} as const;

/** Server -> client: the analysis of a document version is complete and its diagnostics are published. */
export const ANALYZED_NOTIFICATION = 'patchlens/analyzed';

export interface AnalyzedParams {
  uri: string;
  version: number;
  /** Diagnostics published for this version. */
  diagnostics: number;
  /** From the request (open, edit after the debounce) to the last publication, ms. */
  ms: number;
  /** Analyses the server has run so far, for every document. */
  runs: number;
}

export interface UriParams {
  uri: string;
}

/** `patchlens/series`: the series of these files read together, or, without uris, of the document. */
export interface SeriesParams {
  uri?: string;
  uris?: string[];
}

/** A finding as the series tree lists it. */
export interface WireFinding {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  line: number;
  column: number;
}

export interface WireSeries {
  title: string;
  versions: {
    version: number;
    total: number;
    patches: { index: number | null; total: number | null; title: string; subject: string; file: string; line: number; cover: boolean; findings: WireFinding[] }[];
    missing: { index: number; title: string }[];
  }[];
}

export interface SeriesResult {
  /** Files read, in the order given. */
  files: string[];
  series: WireSeries[];
  findings: number;
}

export interface TrailersParams {
  uri: string;
  /** Addresses the reviewer chose for obfuscated tags (Use the recovered address): 1-based line, address. */
  recovered?: { line: number; email: string }[];
}

export interface TrailersResult {
  /** The am-ready mbox of the latest version of each series; empty when the input has no patches. */
  text: string;
  patches: number;
}

export interface ComposeReplyParams {
  uri: string;
  /** 1-based line inside the message to answer. */
  line: number;
  tag?: string | null;
  notes?: { line: number; text: string }[];
  identity?: { name: string; email: string } | null;
}

export interface StatsResult {
  /** Server-side hover times, ms, most recent last. */
  hoverMs: number[];
  runs: number;
  /** The server's ReviewCache: diffs parsed and reused, versions checked and reused, since it started. */
  cache: { parsed: number; reused: number; checked: number; checksReused: number };
  /** Per document: the last analysis' wall time, ms. */
  documents: { uri: string; version: number; analysisMs: number }[];
}
