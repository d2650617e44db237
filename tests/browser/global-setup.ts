import { spawnSync } from 'node:child_process';
import { repoRoot } from '../engine/paths';

/** Browser tests drive the built designer, so build it once before they start. */
export default function setup(): void {
  const r = spawnSync('pnpm', ['--filter', '@flowpath/designer', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the designer build failed');
}
