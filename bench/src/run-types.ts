/** What every benchmark run returns, and what main.ts prints and writes into the report. */

export interface RunContext {
  /** A smaller, faster run (fewer rounds, shorter windows). */
  quick: boolean;
  /**
   * No time budget where a full run has one (run 4's request loop goes to its last checkpoint,
   * 1,000,000 requests); longer than the 15 minutes a full run is held to.
   */
  long: boolean;
  /** Writes a progress line (stderr, so stdout stays the BENCH lines and the table). */
  log: (line: string) => void;
}

export interface Figure {
  label: string;
  value: string;
}

export interface RunResult {
  /** Name in the `BENCH <name> <ratio> (target <t>)` line. */
  name: string;
  title: string;
  status: 'measured' | 'not-measured' | 'failed';
  /** The reported figure: subject / baseline, measured in the same run. */
  ratio?: number;
  /** How the ratio is written in the BENCH line and table: `x` (times) or `%` (fraction). */
  unit: 'x' | '%';
  /** The ratio the issue asks for, in the same unit (100 for 100×, 0.5 for 50 %). */
  target: number;
  /** The target in words when it is not a plain ratio (runs 4 and 5). */
  targetText?: string;
  /** Extra figures for the table (rates of each side, latencies, spreads). */
  figures: Figure[];
  /** Markdown paragraphs for the report: what was compared, what was reused, what the profile shows. */
  notes: string[];
  /** Why a run was not measured or failed. */
  reason?: string;
}

export interface BenchRun {
  name: string;
  title: string;
  unit: RunResult['unit'];
  target: number;
  targetText?: string;
  run: (ctx: RunContext) => Promise<RunResult>;
}
