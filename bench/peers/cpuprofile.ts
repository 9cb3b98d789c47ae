/**
 * V8 CPU profiles (the format `node --cpu-prof` writes), taken around one
 * piece of work through the inspector, and read back as self time per
 * function or file and inclusive time of named functions.
 */
import { Session } from 'node:inspector/promises';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Runs `work` under the sampling profiler; the profile covers it alone. */
export async function profiled(work: () => Promise<unknown>): Promise<{ profile: CpuProfile; ms: number }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const start = performance.now();
    await work();
    const ms = performance.now() - start;
    const { profile } = await session.post('Profiler.stop');
    return { profile: profile as CpuProfile, ms };
  } finally {
    session.disconnect();
  }
}

/** Microseconds of samples per node id. */
function selfByNode(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  return self;
}

export function totalUs(profile: CpuProfile): number {
  let total = 0;
  for (const us of selfByNode(profile).values()) total += us;
  return total;
}

const shortUrl = (url: string): string => url.replace(/^file:\/\/.*?\/(out|node_modules|src)\//, '$1/') || '(native)';

/** Self time (µs) per function ("name file:line") and per file, largest first. */
export function selfTimes(profile: CpuProfile): { byFunction: [string, number][]; byFile: [string, number][] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of selfByNode(profile)) {
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const file = shortUrl(frame.url);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]);
  return { byFunction: sorted(byFunction), byFile: sorted(byFile) };
}

/**
 * Inclusive time (µs: the function and its callees) of functions by name.
 * A name that recurses is counted once per sample.
 */
export function inclusiveTimes(profile: CpuProfile, names: readonly string[]): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const inclusive = new Map<string, number>(names.map((n) => [n, 0]));
  for (const [id, us] of selfByNode(profile)) {
    const seen = new Set<string>();
    for (let at: number | undefined = id, depth = 0; at !== undefined && depth < 2000; at = parent.get(at), depth++) {
      const name = byId.get(at)!.callFrame.functionName;
      if (inclusive.has(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, inclusive.get(name)! + us);
      }
    }
  }
  return inclusive;
}
