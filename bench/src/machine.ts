/** The machine a run happened on, for the report: absolute rates only make sense next to it. */
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';

/** The 1-minute load average now. */
export const loadNow = (): number => loadavg()[0] ?? 0;

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  freeGiB: number;
  os: string;
  node: string;
  /** 1-minute load average when the run started: above the core count means others were busy. */
  loadAtStart: number;
  /** 1-minute load average when the run ended. */
  loadAtEnd?: number;
}

/** Reads the machine description from `os`. */
export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: totalmem() / 2 ** 30,
    freeGiB: freemem() / 2 ** 30,
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAtStart: loadNow(),
  };
}
