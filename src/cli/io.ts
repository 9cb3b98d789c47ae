/** What a CLI command may touch: its output streams and the file system. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Reads a file as bytes; throws with a message naming the file when it cannot. */
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: string | Uint8Array): void;
  /** Standard input, read whole (`-`, no FILE with stdin not a terminal, `check --format b4`). */
  readStdin(): Uint8Array;
  /** Whether standard input is a terminal: then a command without FILE does not wait on it. */
  stdinIsTTY?: boolean;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A command: argv after the command name; resolves to the exit status. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

/** A CliIO that runs a command in process: output collected, every file read as `read(path)`, no stdin. */
export interface MemoryIO extends CliIO {
  stdout: string;
  stderr: string;
}

export function memoryIO(read: (path: string) => Uint8Array = () => new Uint8Array()): MemoryIO {
  const io: MemoryIO = {
    stdout: '',
    stderr: '',
    out(text) { io.stdout += text; },
    err(text) { io.stderr += text; },
    readFile: read,
    writeFile: () => {},
    readStdin: () => new Uint8Array(),
    stdinIsTTY: true,
  };
  return io;
}
