#!/usr/bin/env node
// Entry point behind `npm start`, `npm test` and `npm run bench` on a machine that has only
// Node and npm: it finds or fetches pnpm, installs the workspace when needed, then runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '10.34.9';

function pnpmCommand() {
  try {
    const v = execFileSync('pnpm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (v.startsWith('10.')) return ['pnpm'];
  } catch {
    // not installed: fall through to npx
  }
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd[0], [...cmd.slice(1), ...args], { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function needsInstall() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  if (!existsSync(marker)) return true;
  const lock = join(root, 'pnpm-lock.yaml');
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

const pnpm = pnpmCommand();
if (needsInstall()) run(pnpm, ['install', '--frozen-lockfile']);

const [task, ...rest] = process.argv.slice(2);
switch (task) {
  case 'start':
    run(pnpm, ['--filter', '@flowpath/designer', 'build']);
    run(pnpm, ['--filter', '@flowpath/runtime-api', 'start', ...rest]);
    break;
  case 'test':
    run(pnpm, ['exec', 'vitest', 'run', ...rest]);
    break;
  case 'bench':
    run(pnpm, ['--filter', '@flowpath/bench', 'bench', ...rest]);
    break;
  default:
    console.error(`unknown task ${task}; use start, test or bench`);
    process.exit(2);
}
