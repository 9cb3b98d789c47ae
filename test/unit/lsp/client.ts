/**
 * A minimal LSP client over stdio, written against the protocol text (a
 * Content-Length header, a JSON body) rather than a client library, so the
 * tests check what any editor would see on the wire.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The server command every editor test uses: `patchlens lsp --stdio`, from the sources. */
export const SERVER_COMMAND = [process.execPath, '--import', 'tsx', join(ROOT, 'test/unit/lsp/serve.ts')];

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  private buf = Buffer.alloc(0);
  private id = 0;
  private readonly pending = new Map<number, { resolve(v: Json): void; reject(e: Error): void }>();
  private readonly listeners: ((m: Json) => void)[] = [];
  /** Every notification received, in order. */
  readonly notifications: Json[] = [];
  stderr = '';
  exited: Promise<number | null>;
  /** Answers to server -> client requests (workspace/configuration ...). */
  onServerRequest: (method: string, params: Json) => Json = () => null;

  constructor(command: string[] = SERVER_COMMAND, cwd = ROOT) {
    this.proc = spawn(command[0], command.slice(1), { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (d: Buffer) => this.read(d));
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  private read(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /Content-Length: *(\d+)/i.exec(this.buf.subarray(0, end).toString('ascii'));
      if (!m) throw new Error(`bad header from the server: ${this.buf.subarray(0, end).toString()}`);
      const len = Number(m[1]);
      if (this.buf.length < end + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString('utf8'));
      this.buf = this.buf.subarray(end + 4 + len);
      this.dispatch(msg);
    }
  }

  private dispatch(msg: Json): void {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
      else p?.resolve(msg.result);
      return;
    }
    if (msg.id !== undefined) {
      // A request from the server: answer it.
      let result: Json = null;
      try {
        result = this.onServerRequest(msg.method, msg.params);
      } catch {
        result = null;
      }
      this.send({ jsonrpc: '2.0', id: msg.id, result });
      return;
    }
    this.notifications.push(msg);
    for (const l of [...this.listeners]) l(msg);
  }

  /** Writes raw bytes: the tests use it to send malformed messages. */
  writeRaw(data: string | Buffer): void {
    this.proc.stdin.write(data);
  }

  send(msg: Json): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  request(method: string, params: Json, ms = 60_000): Promise<Json> {
    const id = ++this.id;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer in ${ms} ms; stderr: ${this.stderr.slice(-2000)}`)), ms);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }

  notify(method: string, params: Json): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The first notification (already received or coming) that `pred` accepts. */
  waitFor(pred: (m: Json) => boolean, what: string, ms = 60_000, from = 0): Promise<Json> {
    const seen = this.notifications.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.splice(this.listeners.indexOf(l), 1);
        reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr.slice(-2000)}`));
      }, ms);
      const l = (m: Json): void => {
        if (!pred(m)) return;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(l), 1);
        resolve(m);
      };
      this.listeners.push(l);
    });
  }

  /** The `patchlens/analyzed` notification of this version, then the diagnostics published for it. */
  async analyzed(uri: string, version: number, from = 0): Promise<{ analyzed: Json; diagnostics: Json[] }> {
    const analyzed = await this.waitFor((m) => m.method === 'patchlens/analyzed' && m.params.uri === uri && m.params.version === version, `analysis of ${uri} v${version}`, 60_000, from);
    const published = this.notifications.filter((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.version === version);
    return { analyzed, diagnostics: published[published.length - 1]?.params.diagnostics ?? [] };
  }

  async initialize(rootUri: string | null = null, initializationOptions: Json = {}): Promise<Json> {
    const r = await this.request('initialize', {
      processId: process.pid, rootUri, capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } }, initializationOptions,
    });
    this.notify('initialized', {});
    return r;
  }

  async shutdown(): Promise<number | null> {
    await this.request('shutdown', null);
    this.notify('exit', null);
    return this.exited;
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill();
  }
}
