#!/usr/bin/env node
/**
 * Builds the offline GraphiQL assets (scripts/build-graphiql.mjs) only when they are missing or
 * older than their sources or the installed packages. Run before `npm start`, so a fresh clone
 * serves GraphiQL without a separate build step, and later starts cost nothing. Says why it builds;
 * the build prints its steps and how long it took. `GRAPHIQL_OUT_DIR` as for build-graphiql.mjs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.env.GRAPHIQL_OUT_DIR ? resolve(process.env.GRAPHIQL_OUT_DIR) : join(root, 'public', 'graphiql');
const manifest = join(outDir, 'manifest.json');

function newestMtime(paths) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) newest = Math.max(newest, newestMtime(readdirSync(path).map((name) => join(path, name))));
    else newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

const sources = [join(root, 'src', 'graphiql-app'), join(root, 'scripts', 'build-graphiql.mjs'), join(root, 'package-lock.json')];
const built = existsSync(manifest);
if (built && statSync(manifest).mtimeMs >= newestMtime(sources)) process.exit(0);
console.log(
  built
    ? `GraphiQL assets in ${relative(root, outDir)}/ are older than their sources: rebuilding them.`
    : `GraphiQL assets not built yet: building them into ${relative(root, outDir)}/ once (later starts skip this).`,
);
execFileSync(process.execPath, [join(root, 'scripts', 'build-graphiql.mjs')], { cwd: root, stdio: 'inherit' });
