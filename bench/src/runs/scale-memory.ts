/**
 * Run 4's readings of the server process from outside, none of which involve the product's code:
 * CPU time and resident memory from /proc, and the V8 heap from the lines the server prints for
 * each full garbage collection (`node --trace-gc`).
 */
import { readFileSync } from 'node:fs';

/** Node flag for the server process: a line per garbage collection on stdout, read by `GcLog`. */
export const GC_TRACE_FLAG = '--trace-gc';

/** User + system CPU time of a process so far, in ms (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces); utime and stime are the 14th and 15th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resident memory in MiB: all of it, and the anonymous part (heaps, malloc) without mapped files. */
export function residentMiB(pid: number): { rss: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (name: string): number => {
    const m = new RegExp(`${name}:\\s+(\\d+) kB`).exec(status);
    if (!m) throw new Error(`no ${name} for process ${pid}`);
    return Number(m[1]);
  };
  return { rss: kB('VmRSS') / 1024, anon: kB('RssAnon') / 1024 };
}

/** One full collection (Mark-Compact): the heap in use after it and what V8 kept committed, MB. */
export interface FullGc {
  liveMB: number;
  committedMB: number;
}

// [pid:isolate]   1234 ms: Mark-Compact (reduce) 45.2 (92.1) -> 20.3 (58.0) MB, …
const MARK_COMPACT = /\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: Mark-Compact(?: \([^)]*\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/;

/**
 * The full collections a server reports with `--trace-gc`. The heap in use right after one is
 * what is live: the figure that grows when requests leave objects behind, unlike the heap used at
 * any moment (garbage included) or RSS. A process has more than one isolate (the TypeScript
 * loader's worker), told apart by address; the server's is the one with the larger heap.
 */
export class GcLog {
  private readonly byIsolate = new Map<string, FullGc[]>();
  private partial = '';

  /** Feeds server output (any chunking). */
  add(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = MARK_COMPACT.exec(line);
      if (!m) continue;
      const list = this.byIsolate.get(m[1] as string) ?? [];
      list.push({ liveMB: Number(m[2]), committedMB: Number(m[3]) });
      this.byIsolate.set(m[1] as string, list);
    }
  }

  /** Full collections of the server's isolate so far, oldest first. */
  all(): FullGc[] {
    let best: FullGc[] = [];
    for (const list of this.byIsolate.values()) if ((list.at(-1)?.liveMB ?? 0) > (best.at(-1)?.liveMB ?? 0)) best = list;
    return best;
  }
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
