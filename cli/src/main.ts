#!/usr/bin/env -S npx tsx
/**
 * `flowpath`: check flows and run scenarios from the command line (and in analysts' pipelines).
 *   flowpath validate FLOW.json... [--json] [--lang zh-CN|en]
 *   flowpath test SCENARIO.json... [--json] [--flows DIR]
 *   flowpath simulate --flow KEY [...]   (a history for process health)
 *   flowpath copy-to-pg [--data DIR] [--batch N]   (move a data folder to PostgreSQL)
 */
import { runCli } from './cli';

const code = await runCli(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
process.exitCode = code;
