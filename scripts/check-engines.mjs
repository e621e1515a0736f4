#!/usr/bin/env node
// Checks that every installed package admits every Node.js version that package.json's
// `engines.node` claims, so that `npm ci` prints no EBADENGINE warning on any supported Node.
//
// For each package.json under node_modules (nested ones included) and each package recorded in
// package-lock.json (which also lists the optional packages of other platforms):
// - its `engines.node` range must contain the whole claimed range (semver.subset), and the running
//   Node.js version;
// - every dependency it declares must be satisfied by the version that Node's resolution finds
//   (so that no `overrides` entry forces a package outside the range its dependent declares).
// Exits 1 with one line per problem.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const semver = require('semver');

const rootPkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const claimed = rootPkg.engines?.node;
if (!claimed || !semver.validRange(claimed)) {
  console.error(`package.json engines.node is missing or not a semver range: ${JSON.stringify(claimed)}`);
  process.exit(1);
}
const running = process.versions.node;
const problems = [];
const opts = { includePrerelease: true };

function checkEngines(where, engines) {
  const wanted = engines && typeof engines === 'object' && !Array.isArray(engines) ? engines.node : undefined;
  if (wanted === undefined) return;
  if (typeof wanted !== 'string' || !semver.validRange(wanted, opts)) {
    problems.push(`${where}: engines.node ${JSON.stringify(wanted)} is not a valid range`);
    return;
  }
  if (!semver.subset(claimed, wanted, opts)) problems.push(`${where}: engines.node "${wanted}" does not admit all of "${claimed}"`);
  else if (!semver.satisfies(running, wanted, opts)) problems.push(`${where}: engines.node "${wanted}" does not admit the running Node ${running}`);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

// Installed packages: node_modules/<name> and node_modules/@scope/<name>, recursively.
const installed = new Map(); // directory → manifest
function walk(nodeModules) {
  if (!existsSync(nodeModules)) return;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const dir = path.join(nodeModules, entry.name);
    if (entry.name.startsWith('@') && entry.isDirectory()) {
      for (const scoped of readdirSync(dir, { withFileTypes: true })) visit(path.join(dir, scoped.name), scoped);
    } else visit(dir, entry);
  }
}
function visit(dir, entry) {
  if (!entry.isDirectory()) return;
  const manifest = readJson(path.join(dir, 'package.json'));
  if (!manifest) return;
  installed.set(dir, manifest);
  walk(path.join(dir, 'node_modules'));
}
const topModules = path.join(root, 'node_modules');
if (!existsSync(topModules)) {
  console.error('node_modules is missing: run npm ci first.');
  process.exit(1);
}
walk(topModules);

function resolveFrom(dir, name) {
  for (let d = dir; d.startsWith(root); d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules', name);
    if (installed.has(candidate)) return installed.get(candidate);
    if (d === root) break;
  }
  return undefined;
}

for (const [dir, manifest] of installed) {
  const where = `${path.relative(root, dir)}@${manifest.version}`;
  checkEngines(where, manifest.engines);
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (!semver.validRange(range)) continue; // aliases, tags, URLs
    const dep = resolveFrom(dir, name);
    if (!dep) {
      if (!(name in (manifest.optionalDependencies ?? {}))) problems.push(`${where}: dependency ${name}@${range} is not installed`);
      continue;
    }
    if (!semver.satisfies(dep.version, range, opts)) problems.push(`${where}: dependency ${name}@${range} resolves to ${dep.version}`);
  }
}

const lock = readJson(path.join(root, 'package-lock.json'));
for (const [key, entry] of Object.entries(lock?.packages ?? {})) {
  if (key === '' || entry.link) continue;
  checkEngines(`package-lock.json ${key}@${entry.version}`, entry.engines);
}

if (problems.length > 0) {
  console.error(`${problems.length} engine or dependency-range problem(s) for Node "${claimed}" (running ${running}):`);
  for (const p of [...new Set(problems)].sort()) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`engines: ${installed.size} installed packages admit Node "${claimed}" (running ${running}); every dependency range is met.`);
