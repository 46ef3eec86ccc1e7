import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet, projectRoot } from './synth';

/** Staging today's plan for a generated 200-environment fleet: only the stacks a wave touches are synthesized. */
export function benchStage(count = 200): string[] {
  const fleet = generateFleet(count);
  const out = mkdtempSync(join(tmpdir(), 'bench-stage-'));
  try {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [join(projectRoot(), 'dist', 'bench', 'stage-child.js'), fleet, join(out, 'staged')], { encoding: 'utf8' });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.status !== 0) throw new Error(`bench stage failed: ${child.stderr}`);
    const { code, stacks, maxRssMb } = JSON.parse(child.stdout) as { code: number; stacks: number; maxRssMb: number };
    if (code !== 0) throw new Error(`bench stage: fleet upgrades stage exited ${code}: ${child.stderr}`);
    return [
      `stage (${count}-environment generated fleet, plan for 2026-11-27)`,
      `${'upgrades stage'.padEnd(42)} ${(wallMs / 1000).toFixed(2).padStart(6)} s  ${(wallMs / Math.max(stacks, 1)).toFixed(0).padStart(5)} ms/staged stack  ${maxRssMb.toFixed(0).padStart(5)} MB peak RSS  (${stacks} stacks staged, each synthesized before and after)`,
    ];
  } finally {
    rmSync(fleet, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}
