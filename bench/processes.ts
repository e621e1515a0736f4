/**
 * Bench-internal: child processes (the emulator and the BFF), readiness waits, clean shutdown on
 * exit and signals, and memory sampling from /proc.
 *
 * Services are started as `node <entry>` (compiled) or `node --import tsx <entry>` rather than
 * through the `tsx` CLI, so the pid we hold is the server itself (the CLI forks a second Node
 * process) and its /proc status is the server's memory.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';

export interface Service {
  name: string;
  pid: number;
  child: ChildProcess;
  /** The last lines the service printed (stdout and stderr), for error reports. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Service>();
let hooksInstalled = false;

/** Kills every service still running, synchronously (exit handlers cannot wait). */
export function killAllSync(): void {
  for (const service of running) {
    try {
      process.kill(service.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAllSync();
      process.exit(130);
    });
  }
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SpawnOptions {
  name: string;
  /** Entry point, relative to `cwd`: compiled JavaScript (`dist/…/*.js`) run by Node, or TypeScript run through tsx. */
  entry: string;
  args?: string[];
  env?: Record<string, string>;
  cwd: string;
  /** Extra Node flags placed before the entry (and `--import tsx`), e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

/**
 * How the bench runs the BFF and the emulator. `dist`: the build the container image runs
 * (`tsc -p tsconfig.build.json`, then `node dist/src/…js`), what a deployment runs. `source`: the
 * TypeScript sources through tsx, as `npm start` does; tsx's transform names every function it
 * creates at run time and its resolve hook handles every `require` made while serving, which costs
 * the BFF 5–10 % more CPU per request (`bench/compare.ts --base . --base-source`: 0.90 and 0.95 on
 * the SDK query, 0.96 on the light one, compiled against source).
 */
export type ServerBuild = 'dist' | 'source';

/** The BFF's and the emulator's entry points for `build`, relative to the project root. */
export function serverEntries(build: ServerBuild): { bff: string; emulator: string } {
  return build === 'dist' ? { bff: 'dist/src/main.js', emulator: 'dist/src/emulator/main.js' } : { bff: 'src/main.ts', emulator: 'src/emulator/main.ts' };
}

/**
 * Compiles `root`'s sources into `root/dist` as `npm run build` does (without the GraphiQL
 * assets, which the bench does not load), with the TypeScript compiler of `root`'s own
 * node_modules; returns the time it took, ms. Throws with the compiler's output when it fails.
 */
export function buildServer(root: string): number {
  const started = Date.now();
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const output = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`tsc -p tsconfig.build.json failed in ${root}:\n${String(output.stdout ?? '')}${String(output.stderr ?? '')}`.trimEnd());
  }
  return Date.now() - started;
}

/**
 * The Node flags `npm start` gives the BFF (package.json `scripts.start`: the options between
 * `node` and `--import`), so that the bench measures the server as it is run.
 */
export function startFlags(root: string): string[] {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts?: { start?: string } };
  const words = (pkg.scripts?.start ?? '').split(/\s+/);
  const node = words.indexOf('node');
  const end = words.indexOf('--import');
  if (node < 0 || end < node) throw new Error(`package.json scripts.start is not "… node [flags] --import tsx …": ${pkg.scripts?.start ?? '(none)'}`);
  return words.slice(node + 1, end);
}

/**
 * Starts `node <entry> ...args` (a `.ts` entry with `--import tsx`) with piped output kept in a
 * ring buffer.
 */
export function spawnService(options: SpawnOptions): Service {
  installHooks();
  const loader = options.entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, options.entry, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${options.name}: spawn failed`);
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
      if (lines.length > 60) lines.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service: Service = {
    name: options.name,
    pid: child.pid,
    child,
    output: () => lines.join('\n'),
    async stop(graceMs = 3000) {
      running.delete(service);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(service);
  return service;
}

/**
 * Polls `url` until it answers 2xx (or `accept(status)`), the service exits, or `timeoutMs`
 * passes. Rejects with the service's last output on failure.
 */
export async function waitForHttp(service: Service, url: string, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  let last = 'no answer yet';
  while (Date.now() - started < timeoutMs) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`${service.name} exited (${service.child.exitCode ?? service.child.signalCode}) before ready:\n${service.output()}`);
    }
    try {
      const res = await request(url, { method: 'GET', headersTimeout: 2000, bodyTimeout: 2000 });
      const body = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) return Date.now() - started;
      last = `HTTP ${res.statusCode} ${body.slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await delay(150);
  }
  throw new Error(`${service.name} not ready at ${url} after ${timeoutMs} ms (${last}):\n${service.output()}`);
}

export interface MemoryStatus {
  /** Resident set size now, MB. */
  rssMb: number;
  /** Peak resident set size (VmHWM) since start or since the last `resetPeakRss`, MB. */
  hwmMb: number;
}

/** Reads VmRSS and VmHWM from /proc/<pid>/status. Null when unavailable (not Linux, gone). */
export function readMemory(pid: number): MemoryStatus | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : NaN;
  };
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/**
 * Resets the kernel's peak-RSS counter (`echo 5 > /proc/<pid>/clear_refs`) so the next VmHWM
 * reading covers only what follows. Resolves false when the kernel refuses it.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface RssSampler {
  /** Stops sampling; returns the peak seen (max of sampled VmRSS and the final VmHWM), MB. */
  stop(): { peakMb: number; samples: number; hwmMb: number | null; hwmReset: boolean };
}

/**
 * Samples VmRSS every `intervalMs` while a scenario runs. VmHWM is reset first when the kernel
 * allows it, so the final VmHWM is the exact peak during the window; the sampled maximum is
 * kept as a fallback (and a cross-check) when it does not.
 */
export function sampleRss(pid: number, intervalMs = 50): RssSampler {
  const hwmReset = resetPeakRss(pid);
  let peak = readMemory(pid)?.rssMb ?? 0;
  let samples = 0;
  const timer = setInterval(() => {
    const memory = readMemory(pid);
    if (!memory) return;
    samples += 1;
    peak = Math.max(peak, memory.rssMb);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const memory = readMemory(pid);
      const hwmMb = memory ? memory.hwmMb : null;
      const peakMb = Math.max(peak, memory?.rssMb ?? 0, hwmReset && hwmMb !== null ? hwmMb : 0);
      return { peakMb, samples, hwmMb, hwmReset };
    },
  };
}

let clockTicks: number | null = null;

/** Kernel clock ticks per second (`getconf CLK_TCK`, usually 100). */
function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU time (user + system) the process has used so far, ms; null when unavailable. */
export function readCpuMs(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return ((utime + stime) * 1000) / ticksPerSecond();
}

/** Measures the CPU time each of `pids` spends between `start()` and `stop()`, ms. */
export function cpuMeter(pids: Record<string, number>): { stop(): Record<string, number | null> } {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, readCpuMs(pid)]));
  return {
    stop() {
      return Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => {
          const now = readCpuMs(pid);
          const then = before[name];
          return [name, now === null || then === null || then === undefined ? null : now - then];
        }),
      );
    },
  };
}
