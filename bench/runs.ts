/**
 * `npx tsx bench/runs.ts DIR...`: one Markdown table of several runs' headline figures (each DIR
 * holds a `latest.json` written by `npm run bench -- --out DIR`), each against its target, for
 * the README. Pure rendering in `renderRunsTable`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartBars, targetText } from './report.js';
import { meets, round, type BenchResults } from './types.js';

/** Rows: the chart's headline figures; columns: one per run, then the target. */
export function renderRunsTable(runs: readonly BenchResults[]): string {
  if (runs.length === 0) return '';
  const header = ['Figure', ...runs.map((r) => `${r.run.generatedAt.slice(11, 16)} UTC, load ${round(r.run.loadAverage.start, 1)}`), 'Target'];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 || i === header.length - 1 ? '---' : '---:')).join(' | ')} |`];
  const perRun = runs.map((r) => chartBars(r.summary));
  perRun[0]!.forEach((bar, i) => {
    const cells = perRun.map((bars) => {
      const b = bars[i]!;
      const met = meets(b.value, b.target);
      const value = b.value === null ? '—' : `${round(b.value)}${b.unit === '×' ? '×' : b.unit ? ` ${b.unit}` : ''}`;
      return met === null ? value : `${value} ${met ? '✔' : '✘'}`;
    });
    lines.push(`| ${bar.label} | ${cells.join(' | ')} | ${targetText(bar.target, bar.unit === '×' ? '×' : bar.unit)} |`);
  });
  return lines.join('\n') + '\n';
}

async function main(dirs: string[]): Promise<void> {
  const runs = await Promise.all(dirs.map(async (dir) => JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8')) as BenchResults));
  process.stdout.write(renderRunsTable(runs));
}

if (process.argv[1]?.endsWith('runs.ts')) await main(process.argv.slice(2));
