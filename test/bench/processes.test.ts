import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cpuMeter, freePort, readCpuMs, readMemory, sampleRss, serverEntries, startFlags } from '../../bench/processes.js';

const linux = process.platform === 'linux';

describe.runIf(linux)('bench process accounting (/proc)', () => {
  it('reads this process memory and CPU time', () => {
    const memory = readMemory(process.pid);
    expect(memory?.rssMb).toBeGreaterThan(10);
    expect(memory?.hwmMb).toBeGreaterThanOrEqual(memory?.rssMb ?? Infinity);
    expect(readCpuMs(process.pid)).toBeGreaterThan(0);
  });

  it('measures CPU spent in a window and samples a peak RSS', async () => {
    const meter = cpuMeter({ self: process.pid });
    const sampler = sampleRss(process.pid, 5);
    let x = 0;
    for (let i = 0; i < 5e6; i += 1) x += Math.sqrt(i);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const peak = sampler.stop();
    expect(x).toBeGreaterThan(0);
    expect(meter.stop()['self']).toBeGreaterThanOrEqual(0);
    expect(peak.peakMb).toBeGreaterThan(10);
  });

  it('returns null for a process that does not exist', () => {
    expect(readMemory(2 ** 22 + 7)).toBeNull();
    expect(readCpuMs(2 ** 22 + 7)).toBeNull();
  });
});

describe('freePort', () => {
  it('gives a bindable port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
  });
});

describe('the Node flags of the server', () => {
  const root = new URL('../../', import.meta.url).pathname;
  it('are the same for npm start, the bench and the container image', () => {
    const flags = startFlags(root);
    expect(flags).toEqual(['--heap-growing-percent=150']);
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(`${root}/Dockerfile`, 'utf8'))?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...flags, 'dist/src/main.js']);
  });

  it('the bench runs the entry point the container image runs, or the one npm start runs', () => {
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(readFileSync(`${root}/Dockerfile`, 'utf8'))?.[1] ?? '[]') as string[];
    expect(serverEntries('dist').bff).toBe(cmd.at(-1));
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: { start: string; emulator: string } };
    expect(pkg.scripts.start.endsWith(` ${serverEntries('source').bff}`)).toBe(true);
    expect(pkg.scripts.emulator.endsWith(` ${serverEntries('source').emulator}`)).toBe(true);
    // Each compiled entry is where tsc writes its source (tsconfig.json: outDir, rootDir '.').
    const outDir = /"outDir":\s*"([^"]+)"/.exec(readFileSync(`${root}/tsconfig.json`, 'utf8'))?.[1];
    expect(/"rootDir":\s*"\."/.test(readFileSync(`${root}/tsconfig.json`, 'utf8'))).toBe(true);
    const source = serverEntries('source');
    expect(serverEntries('dist')).toEqual({ bff: `${outDir}/${source.bff.replace(/\.ts$/, '.js')}`, emulator: `${outDir}/${source.emulator.replace(/\.ts$/, '.js')}` });
  });
});
