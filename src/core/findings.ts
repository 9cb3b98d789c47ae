import type { SourcePos } from './types.js';

export type Severity = 'error' | 'warning' | 'info';

/** Where a fact of the model comes from: a kernel file and version, or a document. */
export interface SourceRef {
  /** e.g. `include/linux/mmap_lock.h` or `Documentation/mm/process_addrs.rst`. */
  file: string;
  /** Kernel version the fact was read from, e.g. `v6.18`. */
  kernel?: string;
  /** Free text: section, commit, mail. */
  note?: string;
}

/** One step of the path that leads to a lock finding. */
export interface PathStep extends SourcePos {
  /** What happens here: `acquires mmap_lock (read)`, `calls vm_flags_set()`. */
  what: string;
}

/** A finding, as every front end (CLI text/JSON/SARIF, VS Code) shows it. */
export interface Finding extends SourcePos {
  rule: string;
  severity: Severity;
  /** One sentence. */
  message: string;
  /** Optional end of the range in the input (same file). */
  endLine?: number;
  endColumn?: number;
  /** File of the kernel tree the patch line belongs to, and its line there (post- or pre-image). */
  patchFile?: string;
  patchLine?: number;
  path?: PathStep[];
  sources?: SourceRef[];
  /** Set when the rule lowered its severity because the facts were uncertain: why. */
  uncertain?: string;
  /**
   * What the lock state outside the hunk came from: `applied` (the patch
   * applied to the kernel tree), `tree-function` (its function was located in
   * a tree it does not apply to), `contract:linux-6.12` (built-in data), or
   * `hunk` (the hunk alone).  Lock findings only.
   */
  context?: string;
}
