#!/usr/bin/env node
/**
 * Builds the offline GraphiQL assets (scripts/build-graphiql.mjs) only when they are missing or
 * older than their sources or the installed packages. Run before `npm start`, so a fresh clone
 * serves GraphiQL without a separate build step, and later starts cost nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = join(root, 'public', 'graphiql', 'manifest.json');

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
if (existsSync(manifest) && statSync(manifest).mtimeMs >= newestMtime(sources)) process.exit(0);
console.log('Building the offline GraphiQL assets (once)...');
execFileSync(process.execPath, [join(root, 'scripts', 'build-graphiql.mjs')], { cwd: root, stdio: 'inherit' });
