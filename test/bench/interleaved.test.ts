import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchContext } from '../../bench/context.js';
import { interleaved, PAGE, type Target } from '../../bench/scenarios/proxy-overhead.js';

const linux = process.platform === 'linux';

/** A body `goodBody` accepts: no errors, `PAGE` ids. */
const GOOD = JSON.stringify({ data: { assets: Array.from({ length: PAGE }, (_, i) => ({ id: `a${i}` })) } });

interface CountingServer {
  server: Server;
  url: string;
  hits: number;
}

async function countingServer(): Promise<CountingServer> {
  const counting: CountingServer = { server: createServer(), url: '', hits: 0 };
  counting.server.on('request', (req, res) => {
    req.resume();
    req.on('end', () => {
      counting.hits += 1;
      res.setHeader('content-type', 'application/json');
      res.end(GOOD);
    });
  });
  await new Promise<void>((resolve) => counting.server.listen(0, '127.0.0.1', resolve));
  counting.url = `http://127.0.0.1:${(counting.server.address() as AddressInfo).port}/graphql`;
  return counting;
}

describe.runIf(linux)('interleaved load: figures of each segment (/proc)', () => {
  let direct: CountingServer;
  let bff: CountingServer;
  let idle: ChildProcess;

  beforeAll(async () => {
    direct = await countingServer();
    bff = await countingServer();
    // A process that spends no CPU (no runtime of its own, unlike a Node process) stands for the
    // emulator: its share of every segment is 0.
    idle = spawn('sleep', ['60'], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  afterAll(async () => {
    idle.kill();
    await Promise.all([direct, bff].map((s) => new Promise((resolve) => s.server.close(resolve))));
  });

  it('alternates the sides, and each segment carries its answered requests and the CPU per request of each process', async () => {
    const ctx = {
      emulatorPid: idle.pid as number,
      bff: { url: bff.url, pid: process.pid, headers: {} },
      emulator: { clearRequests: () => Promise.resolve() },
      log: () => undefined,
    } as unknown as BenchContext;
    const target = (url: string): Target => ({ url, headers: { 'content-type': 'application/json' }, body: '{"query":"{ assets { id } }"}' });
    // What each server answered while a BFF segment ran.
    const during: { direct: number; bff: number }[] = [];
    let at = { direct: 0, bff: 0 };
    const hooks = {
      start: () => void (at = { direct: direct.hits, bff: bff.hits }),
      stop: () => void during.push({ direct: direct.hits - at.direct, bff: bff.hits - at.bff }),
    };

    const result = await interleaved(ctx, target(direct.url), target(bff.url), 2, 2, 2, hooks);

    expect(result.segments.map((s) => s.side)).toEqual(['direct', 'bff', 'direct', 'bff']);
    for (const side of ['direct', 'bff'] as const) {
      const own = result.segments.filter((s) => s.side === side);
      expect(own.reduce((sum, s) => sum + s.ok, 0)).toBe(result[side].ok);
    }
    for (const s of result.segments) {
      expect(s.ok).toBeGreaterThan(0);
      expect(Object.keys(s.cpuMsPerRequest).sort()).toEqual(['bff', 'emulator']);
      expect(s.cpuMsPerRequest['emulator']).toBe(0);
      expect(s.cpuMsPerRequest['bff']).toBeGreaterThan(0);
    }
    // Per request figures, times the answers, give back the side's CPU (each rounded to 0.001 ms).
    const bffSegments = result.segments.filter((s) => s.side === 'bff');
    const rebuilt = bffSegments.reduce((sum, s) => sum + (s.cpuMsPerRequest['bff'] as number) * s.ok, 0);
    expect(Math.abs(rebuilt - (result.cpuMs.bff['bff'] as number))).toBeLessThanOrEqual(0.0005 * result.bff.ok + 1e-6);
    // A BFF segment loads the BFF alone (but for requests of the direct segment still in flight
    // when it ended, at most one per connection), and counts no more answers than the BFF gave.
    expect(during).toHaveLength(2);
    during.forEach((d, i) => {
      expect(d.direct).toBeLessThanOrEqual(2);
      expect(d.bff).toBeGreaterThan(10 * d.direct);
      expect(d.bff).toBeGreaterThanOrEqual(bffSegments[i]!.ok);
    });
  });
});
