/**
 * `npm start` as a real process tree: a clean start logs no error, SIGTERM and SIGINT stop the BFF
 * and its embedded emulator (every process of the tree exits, both ports close), and a PORT or
 * HOST that cannot be used stops start-up with one line naming the setting. Linux: the tree is
 * read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'bff-start-'));
const started: ChildProcess[] = [];

afterEach(() => {
  // a failed test must not leave its tree behind: the group was created by spawn(detached)
  for (const child of started.splice(0)) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A port that is free, with the next one free too (the embedded emulator listens on PORT + 1). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const first = await listenOn(0);
    const port = (first.address() as { port: number }).port;
    const second = await listenOn(port + 1).catch(() => null);
    await new Promise((r) => first.close(r));
    if (second) {
      await new Promise((r) => second.close(r));
      return port;
    }
  }
}

function listenOn(port: number, host = '127.0.0.1'): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}

function isOpen(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
  });
}

/** Live (not zombie) processes whose parent chain leads to `root`, root included, with their parent. */
function tree(root: number): { pid: number; ppid: number }[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parents.set(Number(entry), Number(fields[1]));
    } catch {
      // exited meanwhile
    }
  }
  const members = parents.has(root) ? [{ pid: root, ppid: parents.get(root)! }] : [];
  for (let i = 0; i < members.length; i++) for (const [pid, ppid] of parents) if (ppid === members[i]!.pid) members.push({ pid, ppid });
  return members;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(command: string, args: string[], env: Record<string, string>): Run {
  const childEnv: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'info', ...env };
  delete childEnv.KILI_API_URL;
  delete childEnv.CACHE_URL;
  Object.assign(childEnv, env);
  const child = spawn(command, args, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, run?: Run): Promise<void> {
  // bounded by the test timeout; the message says what never happened
  for (let i = 0; i < 3000; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what} never happened. stdout:\n${run?.stdout()}\nstderr:\n${run?.stderr()}`);
}

describe.skipIf(process.platform !== 'linux')('npm start', () => {
  it.each([
    ['SIGTERM', 'npm'],
    ['SIGTERM', 'the process npm starts'],
    ['SIGINT', 'the process npm starts'],
  ] as const)('%s to %s stops the BFF and the embedded emulator: no process left, both ports closed', async (signal, target) => {
    const port = await freePortPair();
    // --ignore-scripts skips only the prestart GraphiQL build (not needed to serve /graphql)
    const npm = run('npm', ['start', '--ignore-scripts'], { PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_GRACE_MS: '2000', EMULATOR_DB: join(dataDir, `${signal}-${port}.sqlite`) });
    await until(() => /Demo project \(IMAGE\)/.test(npm.stdout()), 'the start banner', npm);
    const emulatorPort = Number(/Kili emulator: http:\/\/127\.0\.0\.1:(\d+)\//.exec(npm.stdout())?.[1]);
    expect(emulatorPort).toBe(port + 1);
    expect(await isOpen(port)).toBe(true);
    expect(await isOpen(emulatorPort)).toBe(true);

    const members = tree(npm.child.pid!);
    const npmChild = members.filter((m) => m.ppid === npm.child.pid).map((m) => m.pid);
    expect(npmChild).toHaveLength(1);
    expect(members.some((m) => commandLine(m.pid).includes('src/main.ts'))).toBe(true);
    // a clean start: nothing at error level (pino level 50) or above
    const logged = npm.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number });
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);

    process.kill(target === 'npm' ? npm.child.pid! : npmChild[0]!, signal);
    await until(() => members.every((m) => !alive(m.pid)), `the exit of every process of the tree (${members.map((m) => commandLine(m.pid)).join(' | ')})`, npm);
    await npm.exited;
    expect(await isOpen(port)).toBe(false);
    expect(await isOpen(emulatorPort)).toBe(false);
    expect(npm.stdout()).toContain(`"signal":"${signal}","msg":"shutting down"`);
  }, 120_000);
});

describe.skipIf(process.platform !== 'linux')('start-up errors', () => {
  const start = (env: Record<string, string>) => run(process.execPath, ['--import', 'tsx', 'src/main.ts'], { EMULATOR_DB: join(dataDir, 'errors.sqlite'), ...env });

  it('a PORT already in use: one line naming PORT, exit code 1', async () => {
    const port = await freePortPair();
    const holder = await listenOn(port);
    try {
      const bff = start({ PORT: String(port), HOST: '127.0.0.1' });
      expect(await bff.exited).toBe(1);
      expect(bff.stderr().trim().split('\n')).toEqual([`Config PORT ${port} is already in use on 127.0.0.1: stop the other process or choose another PORT`]);
    } finally {
      await new Promise((r) => holder.close(r));
    }
  }, 60_000);

  it('a CORS_ORIGINS entry that is not an origin: one line naming CORS_ORIGINS, exit code 1', async () => {
    const bff = start({ PORT: '0', HOST: '127.0.0.1', CORS_ORIGINS: 'https://app.example.com, localhost:5173' });
    expect(await bff.exited).toBe(1);
    expect(bff.stderr().trim().split('\n')).toEqual([
      'Config CORS_ORIGINS must be * or a comma-separated list of origins like https://app.example.com or http://localhost:5173 (scheme, host, optional port; no path, trailing slash or wildcard), got "localhost:5173"',
    ]);
  }, 60_000);

  it.each([
    ['192.0.2.1', 'Config HOST "192.0.2.1" is not an address of this machine: use 0.0.0.0 (all interfaces), 127.0.0.1 or one of its addresses'],
    ['no-such-host.invalid', /^Config HOST "no-such-host\.invalid" does not resolve to an address \((ENOTFOUND|EAI_AGAIN)\): use 0\.0\.0\.0 \(all interfaces\), 127\.0\.0\.1 or one of this machine's addresses$/],
  ])('an unusable HOST %s: one line naming HOST, exit code 1', async (host, expected) => {
    const bff = start({ PORT: '0', HOST: host });
    expect(await bff.exited).toBe(1);
    const lines = bff.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    if (typeof expected === 'string') expect(lines[0]).toBe(expected);
    else expect(lines[0]).toMatch(expected);
  }, 60_000);
});
