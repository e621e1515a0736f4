/**
 * Python's graphql-core 3.2 (what `gql` and the Kili SDK build on), for client-compatibility
 * tests. `graphqlCore(file)`: its version, or null (after a warning naming `file` and how to
 * install it) when `python3` cannot import graphql-core 3.2; throws in CI (`CI` set), where
 * .ci/run installs it.
 */
import { spawnSync } from 'node:child_process';

export function graphqlCore(file: string): string | null {
  const probe = spawnSync('python3', ['-c', 'import graphql; print(graphql.__version__)'], { encoding: 'utf8' });
  const version = probe.status === 0 ? probe.stdout.trim() : null;
  if (version?.startsWith('3.2.')) return version;
  const message = `${file}: python3 with graphql-core 3.2 is not available (pip install "graphql-core>=3.2,<3.3"), skipping the graphql-core checks.`;
  if (process.env.CI) throw new Error(`${message} CI requires them.`);
  console.warn(message);
  return null;
}

/** Runs `python3 script` with `input` on stdin; its stdout parsed as JSON. */
export function runPython<T>(script: string[], input: string): T {
  const run = spawnSync('python3', script, { input, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 ${script.join(' ')} exited with ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
