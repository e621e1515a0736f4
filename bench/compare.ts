/**
 * `npx tsx bench/compare.ts --base DIR [--query sdk|light] [--seconds 15] [--rounds 3] [--source | --base-source]`
 *
 * Measures the CPU cost of a change: two BFFs, one from a checkout of the base commit (`--base`,
 * with its own node_modules or a link to these) and one from this tree, in front of one emulator
 * at zero latency, loaded AT THE SAME TIME with the same query (half the connections each), so
 * both see the same machine load. Prints each BFF's CPU ms per answered request and the ratio
 * (this tree / base) per round, then the median ratio. On a shared machine this ratio is far
 * steadier than two runs of the bench one after the other. Both BFFs run their tree's compiled
 * build (each tree is compiled first), or with `--source` their TypeScript sources through tsx;
 * `--base-source` runs only the base from its sources (`--base .` then measures the build itself).
 */
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BFF_BENCH_ENV } from './env.js';
import { median } from './context.js';
import { EmulatorControl } from './emulator-control.js';
import { closeHttp, kiliHeaders } from './gql.js';
import { buildServer, cpuMeter, freePort, serverEntries, spawnService, startFlags, waitForHttp, type Service } from './processes.js';
import { goodBody, PAGE, segment, type Target } from './scenarios/proxy-overhead.js';
import { goodSdkBody, LABELS_PER_ASSET, sdkDefaultBffQuery } from './scenarios/sdk-query.js';
import { READ_FIELDS } from './context.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    query: { type: 'string', default: 'sdk' },
    seconds: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '8' },
    'bff-env': { type: 'string', multiple: true },
    'ours-env': { type: 'string', multiple: true },
    source: { type: 'boolean', default: false },
    'base-source': { type: 'boolean', default: false },
  },
});
if (!values.base) {
  process.stderr.write('usage: npx tsx bench/compare.ts --base DIR [--query sdk|light] [--seconds 15] [--rounds 3] [--connections 8] [--bff-env K=V] [--ours-env K=V] [--source | --base-source]\n');
  process.exit(2);
}
const pairs = (list: string[] | undefined): Record<string, string> => Object.fromEntries((list ?? []).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
/** `--bff-env` applies to both BFFs, `--ours-env` to this tree's only (to measure a setting). */
const extraEnv = pairs(values['bff-env']);
const oursEnv = pairs(values['ours-env']);
const log = (line: string): void => void process.stderr.write(`[compare] ${line}\n`);
const entries = serverEntries(values.source ? 'source' : 'dist');
const baseEntries = serverEntries(values.source || values['base-source'] ? 'source' : 'dist');

async function bffFrom(dir: string, name: string, upstream: string, entry: string, env: Record<string, string> = {}): Promise<{ service: Service; url: string }> {
  const port = await freePort();
  const service = spawnService({
    name,
    entry,
    env: { ...BFF_BENCH_ENV, ...extraEnv, ...env, KILI_API_URL: upstream, PORT: String(port), HOST: '127.0.0.1' },
    cwd: dir,
    nodeArgs: startFlags(dir),
  });
  await waitForHttp(service, `http://127.0.0.1:${port}/readyz`);
  return { service, url: `http://127.0.0.1:${port}/graphql` };
}

const services: Service[] = [];
try {
  if (!values.source) for (const dir of new Set([resolve(values.base), resolve(ROOT)])) log(`compiled ${dir} in ${buildServer(dir)} ms`);
  const apiKey = `compare-${randomBytes(8).toString('hex')}`;
  const emulatorPort = await freePort();
  const emulator = spawnService({
    name: 'emulator',
    entry: entries.emulator,
    args: ['--port', String(emulatorPort), '--dev', '--seed', 'demo', '--api-key', apiKey],
    env: { EMULATOR_API_KEY: apiKey },
    cwd: ROOT,
  });
  services.push(emulator);
  const control = new EmulatorControl(`http://127.0.0.1:${emulatorPort}`, apiKey);
  await waitForHttp(emulator, control.versionUrl);
  const base = await bffFrom(values.base, 'base', control.graphqlUrl, baseEntries.bff);
  services.push(base.service);
  const ours = await bffFrom(ROOT, 'ours', control.graphqlUrl, entries.bff, oursEnv);
  services.push(ours.service);

  const projectId = await control.createProject('compare');
  const sdk = values.query === 'sdk';
  await control.seed(projectId, PAGE, { externalIdPrefix: 'cmp-', ...(sdk ? { labels: LABELS_PER_ASSET } : {}) });
  const body = JSON.stringify(
    sdk
      ? { query: sdkDefaultBffQuery(PAGE), variables: { projectId } }
      : { query: `query ProxyPage($projectId: ID!) {\n  assets(projectId: $projectId, first: ${PAGE}) { ${READ_FIELDS.join(' ')} }\n}`, variables: { projectId } },
  );
  const headers = kiliHeaders(apiKey);
  const target = (url: string): Target => ({ url, headers, body, verify: sdk ? goodSdkBody : goodBody });
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  log(`warm-up 3 s each`);
  await Promise.all([segment(target(base.url), 3, connections), segment(target(ours.url), 3, connections)]);
  const ratios: number[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    const meter = cpuMeter({ base: base.service.pid, ours: ours.service.pid, emulator: emulator.pid });
    const [a, b] = await Promise.all([segment(target(base.url), seconds, connections), segment(target(ours.url), seconds, connections)]);
    const cpu = meter.stop();
    const perA = (cpu['base'] ?? NaN) / Math.max(1, a.ok);
    const perB = (cpu['ours'] ?? NaN) / Math.max(1, b.ok);
    ratios.push(perB / perA);
    process.stdout.write(
      `round ${round}: base ${perA.toFixed(3)} ms/req (${a.ok} ok, ${a.bad} bad), ours ${perB.toFixed(3)} ms/req (${b.ok} ok, ${b.bad} bad): ours/base ${(perB / perA).toFixed(3)}\n`,
    );
  }
  process.stdout.write(`median ours/base CPU per request (${values.query} query): ${median(ratios).toFixed(3)}\n`);
} finally {
  await closeHttp();
  await Promise.all(services.map((s) => s.stop(5000)));
}
