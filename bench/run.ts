/**
 * `npm run bench [-- --quick] [--latency MS] [--jitter MS] [--only 1,2,...] [--check] [--source]`
 *
 * Compiles the project as the container image does (`dist/`), starts the Kili emulator (dev
 * controls on, demo seed) and the BFF from that build as two separate processes on loopback,
 * injects upstream latency, runs the seven scenarios of the benchmark, prints each
 * scenario's baseline, figure and ratio, writes bench/results/latest.{json,md,svg}, and ends
 * stdout with exactly one JSON summary line. Progress goes to stderr. With `--check`, every
 * figure is also judged against its target and noise margin (bench/targets.ts), and the process
 * exits with status 1 when one regressed.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bffClient, guarded, type BenchContext } from './context.js';
import { BenchEmulator } from './emulator-control.js';
import { closeHttp, gqlData, kiliHeaders } from './gql.js';
import { buildServer, freePort, readMemory, sampleRss, serverEntries, spawnService, startFlags, waitForHttp, type ServerBuild, type Service } from './processes.js';
import { buildSummary, renderScenarioText, summaryLine, writeResults } from './report.js';
import { checkPassed, checkRun, FIGURES_BY_SCENARIO, renderCheck, type CheckedFigure } from './targets.js';
import { runBulkMutation } from './scenarios/bulk-mutation.js';
import { runBulkOperation } from './scenarios/bulk-operation.js';
import { runEntityBatching } from './scenarios/entity-batching.js';
import { runLargeRead } from './scenarios/large-read.js';
import { runMemory } from './scenarios/memory.js';
import { runProxyOverhead } from './scenarios/proxy-overhead.js';
import { runSdkQuery } from './scenarios/sdk-query.js';
import type { BenchResults, ScenarioResult } from './types.js';
import { BFF_BENCH_ENV } from './env.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');

export { BFF_BENCH_ENV } from './env.js';

interface Options {
  quick: boolean;
  latencyMs: number;
  jitterMs: number;
  only: Set<number>;
  outDir: string;
  /** Directory for CPU profiles of the BFF and the emulator (`--cpu-prof`), written when they stop. */
  profileDir: string | null;
  /** Extra BFF environment (`--bff-env KEY=VALUE`, repeatable), for tuning experiments. */
  bffEnv: Record<string, string>;
  /** Judge the figures against the targets and exit 1 on a regression beyond the noise margin. */
  check: boolean;
  /** What the servers run: the compiled build (default) or the sources through tsx (`--source`). */
  build: ServerBuild;
}

const SCENARIOS = [1, 2, 3, 4, 5, 6, 7] as const;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      latency: { type: 'string', default: '20' },
      jitter: { type: 'string', default: '0' },
      only: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      'bff-env': { type: 'string', multiple: true },
      check: { type: 'boolean', default: false },
      source: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npm run bench -- [--quick] [--latency MS (default 20)] [--jitter MS (default 0)] [--only 1,2,3,4,5,6,7] [--out DIR] [--profile DIR] [--bff-env KEY=VALUE ...] [--check] [--source]\n' +
        '  Results go to bench/results/ (a partial run with --only: bench/results/partial/), or to --out DIR.\n' +
        '  --profile DIR writes V8 CPU profiles (.cpuprofile, one per thread) into DIR/bff and DIR/emulator.\n' +
        '  --bff-env KEY=VALUE overrides the BFF configuration (e.g. MUTATION_CONCURRENCY=8); shown in the report.\n' +
        '  --check judges every figure against its target with its noise margin (bench/targets.ts); exit status 1 on a regression.\n' +
        '  The servers run the compiled build (tsc into dist/, as the container image runs it); --source runs the TypeScript sources through tsx, as npm start does.\n',
    );
    process.exit(0);
  }
  const number = (name: string, raw: string): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new TypeError(`--${name} must be a non-negative number, got ${raw}`);
    return n;
  };
  const only = new Set((values.only ?? SCENARIOS.join(',')).split(',').map((s) => number('only', s.trim())));
  const partial = SCENARIOS.some((n) => !only.has(n));
  const outDir = values.out ?? (partial ? join(RESULTS_DIR, 'partial') : RESULTS_DIR);
  return {
    quick: values.quick ?? false,
    latencyMs: number('latency', values.latency ?? '20'),
    jitterMs: number('jitter', values.jitter ?? '0'),
    only,
    outDir,
    profileDir: values.profile ?? null,
    check: values.check ?? false,
    build: values.source ? 'source' : 'dist',
    bffEnv: Object.fromEntries(
      (values['bff-env'] ?? []).map((pair) => {
        const at = pair.indexOf('=');
        if (at <= 0) throw new TypeError(`--bff-env must be KEY=VALUE, got ${pair}`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    ),
  };
}

/** HEAD, with `-dirty` when tracked files outside bench/results differ from it. */
function gitCommit(): string | null {
  const git = (args: string[]): string =>
    execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const head = git(['rev-parse', '--short', 'HEAD']);
    const changed = git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/results']);
    return changed === '' ? head : `${head}-dirty`;
  } catch {
    return null;
  }
}

function profileArgs(dir: string | null, name: string): string[] {
  // One directory per service: Node writes one profile per thread (tsx's loader runs in a worker).
  return dir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`];
}

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

async function startServices(
  apiKey: string,
  build: ServerBuild,
  profileDir: string | null,
  bffEnv: Record<string, string>,
): Promise<{ emulator: Service; bff: Service; control: BenchEmulator; bffUrl: string }> {
  const entries = serverEntries(build);
  if (build === 'dist') log(`compiled the servers into dist/ in ${buildServer(ROOT)} ms (tsc -p tsconfig.build.json)`);
  else log('running the servers from their TypeScript sources through tsx (--source)');
  const emulatorPort = await freePort();
  const bffPort = await freePort();
  const origin = `http://127.0.0.1:${emulatorPort}`;
  log(`starting the emulator on ${origin}`);
  const emulator = spawnService({
    name: 'emulator',
    entry: entries.emulator,
    args: ['--port', String(emulatorPort), '--dev', '--seed', 'demo', '--api-key', apiKey],
    env: { EMULATOR_API_KEY: apiKey },
    cwd: ROOT,
    nodeArgs: profileArgs(profileDir, 'emulator'),
  });
  const control = new BenchEmulator(origin, apiKey);
  const emulatorMs = await waitForHttp(emulator, control.versionUrl);
  log(`emulator ready in ${emulatorMs} ms (pid ${emulator.pid})`);

  log(`starting the BFF on http://127.0.0.1:${bffPort}`);
  const bff = spawnService({
    name: 'bff',
    entry: entries.bff,
    env: { ...BFF_BENCH_ENV, ...bffEnv, KILI_API_URL: control.graphqlUrl, PORT: String(bffPort), HOST: '127.0.0.1' },
    cwd: ROOT,
    nodeArgs: [...startFlags(ROOT), ...profileArgs(profileDir, 'bff')],
  });
  const bffMs = await waitForHttp(bff, `http://127.0.0.1:${bffPort}/readyz`);
  log(`BFF ready in ${bffMs} ms (pid ${bff.pid})`);
  return { emulator, bff, control, bffUrl: `http://127.0.0.1:${bffPort}/graphql` };
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)} (see --help)\n`);
    process.exit(2);
  }
  const started = Date.now();
  const loadStart = loadavg()[0] ?? 0;
  const apiKey = `bench-${randomBytes(12).toString('hex')}`;
  const services: Service[] = [];
  const scenarios: ScenarioResult[] = [];
  try {
    const { emulator, bff, control: initial, bffUrl } = await startServices(apiKey, options.build, options.profileDir, options.bffEnv);
    services.push(emulator, bff);

    // A clean demo seed; its admin key is the one we passed (or the emulator's own if it ignored ours).
    const demo = await initial.reset('demo');
    const adminKey = demo?.users.admin.apiKey ?? apiKey;
    if (adminKey !== apiKey) log('the emulator did not take --api-key; using its demo admin key');
    const control = new BenchEmulator(initial.origin, adminKey);
    await gqlData(control.graphqlUrl, kiliHeaders(adminKey), '{ viewer { id email } }');
    await control.setLatency(options.latencyMs, options.jitterMs);
    log(`upstream latency ${options.latencyMs} ms${options.jitterMs ? ` ± ${options.jitterMs} ms` : ''}; mode ${options.quick ? 'quick' : 'full'}`);

    const ctx: BenchContext = {
      quick: options.quick,
      latencyMs: options.latencyMs,
      jitterMs: options.jitterMs,
      emulator: control,
      emulatorPid: emulator.pid,
      bff: bffClient(bffUrl, bff.pid, adminKey),
      bffEntry: serverEntries(options.build).bff,
      bffEnv: { ...BFF_BENCH_ENV, ...options.bffEnv },
      log,
    };
    const idleMb = readMemory(bff.pid)?.rssMb ?? null;

    const plan: Array<[number, Pick<ScenarioResult, 'id' | 'title'>, (c: BenchContext) => Promise<ScenarioResult>]> = [
      [1, { id: 'entityBatching', title: '1. Entity batching' }, runEntityBatching],
      [2, { id: 'largeRead', title: '2. Large read' }, runLargeRead],
      [3, { id: 'bulkMutation', title: '3. Bulk mutation' }, runBulkMutation],
      [4, { id: 'proxyOverhead', title: '4. Proxy overhead' }, runProxyOverhead],
      [6, { id: 'sdkQuery', title: '6. SDK default query' }, runSdkQuery],
      // Runs a BFF of its own (RATE_LIMIT_PER_MINUTE=6000) against the same emulator.
      [7, { id: 'bulkOperation', title: '7. Bulk operation' }, runBulkOperation],
      // Last: its figures are the peaks of the scenarios before it (those run on this BFF), plus a labeled large read.
      [5, { id: 'memory', title: '5. Memory' }, (c) => runMemory(c, idleMb, scenarios.filter((s) => s.peakRssMb !== undefined))],
    ];
    for (const [n, base, run] of plan) {
      if (!options.only.has(n)) continue;
      log(`scenario ${base.title}`);
      const t0 = Date.now();
      // Scenario 5 samples its own window; scenario 7 does not use this BFF.
      const rss = n === 5 || n === 7 ? null : sampleRss(bff.pid);
      const result = await guarded(ctx, base, () => run(ctx));
      if (rss) result.peakRssMb = rss.stop().peakMb;
      await control.clearRequests().catch(() => undefined);
      scenarios.push(result);
      process.stdout.write(renderScenarioText(result) + '\n');
      log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s (machine load ${(loadavg()[0] ?? 0).toFixed(2)})`);
    }
  } catch (error) {
    log(`run aborted: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await closeHttp(); // idle keep-alive sockets would hold the BFF's graceful shutdown
    const t0 = Date.now();
    await Promise.all(services.map((s) => s.stop(options.profileDir === null ? 5000 : 15_000)));
    log(`services stopped in ${Date.now() - t0} ms`);
  }

  const summary = buildSummary(scenarios);
  const results: BenchResults = {
    run: {
      generatedAt: new Date().toISOString(),
      mode: options.quick ? 'quick' : 'full',
      latencyMs: options.latencyMs,
      jitterMs: options.jitterMs,
      node: process.versions.node,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      loadAverage: { start: loadStart, end: loadavg()[0] ?? 0 },
      bffEnv: { ...BFF_BENCH_ENV, ...options.bffEnv },
      build: options.build,
      commit: gitCommit(),
      durationS: (Date.now() - started) / 1000,
    },
    summary,
    scenarios,
  };
  const paths = await writeResults(options.outDir, results);
  process.stdout.write(`results: ${paths.map((p) => relative(process.cwd(), p)).join(', ')} (${results.run.durationS.toFixed(1)} s)\n`);
  if (options.check) {
    const only = new Set<CheckedFigure>(SCENARIOS.filter((n) => options.only.has(n)).flatMap((n) => FIGURES_BY_SCENARIO[n] ?? []));
    const lines = checkRun(summary, undefined, only);
    process.stdout.write(renderCheck(lines) + '\n');
    if (!checkPassed(lines)) process.exitCode = 1;
  }
  process.stdout.write(summaryLine(summary) + '\n');
}

await main();
