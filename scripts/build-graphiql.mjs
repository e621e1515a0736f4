#!/usr/bin/env node
/**
 * Builds the offline GraphiQL served by the BFF (`src/http/graphiql.ts`) into public/graphiql/.
 *
 * - The three Monaco web workers (editor, JSON, GraphQL) are bundled first, each as its own
 *   classic-worker file; their hashed names are injected into the app as `__GRAPHIQL_WORKERS__`
 *   (see src/graphiql-app/workers.ts). graphiql's `setup-workers/esm.sh` entry is never used: it
 *   loads the workers from a CDN.
 * - The app (src/graphiql-app/index.tsx: React 19 + graphiql 5) is bundled as one minified ES
 *   module plus one CSS file (no code splitting: CSS imported by lazy chunks would never load). The fonts that the packages inline as `data:` URLs are extracted
 *   into fonts/ so the page's Content-Security-Policy can stay `font-src 'self'`.
 * - Every file name carries a content hash (cacheable forever); text files are precompressed
 *   (.br, .gz) so the server does no compression work.
 * - manifest.json lists the servable files, their encodings and the app's entry points.
 *
 * The output is built in a temporary directory and swapped in at the end, so a running server
 * never sees a half-written build. It prints each step as it starts and, at the end, what it built
 * and how long it took. Usage: `node scripts/build-graphiql.mjs` (part of `npm run build`);
 * `GRAPHIQL_OUT_DIR=<dir>` builds elsewhere than public/graphiql/ (tests).
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.env.GRAPHIQL_OUT_DIR ? resolve(process.env.GRAPHIQL_OUT_DIR) : join(root, 'public', 'graphiql');
const workDir = `${outDir}.tmp-${process.pid}`;
const appEntry = join(root, 'src', 'graphiql-app', 'index.tsx');
const WORKERS = {
  editor: 'monaco-editor/esm/vs/editor/editor.worker.js',
  json: 'monaco-editor/esm/vs/language/json/json.worker.js',
  graphql: 'monaco-graphql/esm/graphql.worker.js',
};
const COMPRESSIBLE = /\.(js|css|ttf|svg|json|txt)$/;
const FONT_TYPES = { woff2: 'woff2', woff: 'woff', ttf: 'ttf', otf: 'otf' };

const common = {
  bundle: true,
  minify: true,
  target: 'es2022',
  platform: 'browser',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

const shortHash = (data) => createHash('sha256').update(data).digest('hex').slice(0, 12);

/** Bundles each worker as an IIFE file named `<label>.worker-<hash>.js`; returns label → name. */
async function buildWorkers() {
  const names = {};
  await Promise.all(
    Object.entries(WORKERS).map(async ([label, specifier]) => {
      const result = await build({
        ...common,
        entryPoints: [specifier],
        absWorkingDir: root,
        format: 'iife',
        write: false,
        outfile: 'worker.js',
      });
      const code = result.outputFiles[0].contents;
      names[label] = `${label}.worker-${shortHash(code)}.js`;
      await writeFile(join(workDir, names[label]), code);
    }),
  );
  return names;
}

/** Moves every `url(data:font/…;base64,…)` of a stylesheet into fonts/<hash>.<ext>. */
async function extractFonts(css) {
  const fonts = new Map();
  const rewritten = css.replace(/url\(\s*["']?data:font\/([a-z0-9-]+);base64,([A-Za-z0-9+/=]+)["']?\s*\)/g, (_m, type, b64) => {
    const data = Buffer.from(b64, 'base64');
    const name = `fonts/${shortHash(data)}.${FONT_TYPES[type] ?? type}`;
    fonts.set(name, data);
    return `url(${name})`;
  });
  await mkdir(join(workDir, 'fonts'), { recursive: true });
  await Promise.all([...fonts].map(([name, data]) => writeFile(join(workDir, name), data)));
  return { css: rewritten, fontCount: fonts.size };
}

/** Bundles the app (ESM + CSS); returns the entry file names. */
async function buildApp(workers) {
  const result = await build({
    ...common,
    entryPoints: { app: appEntry },
    absWorkingDir: root,
    format: 'esm',
    jsx: 'automatic',
    outdir: workDir,
    entryNames: '[name]-[hash]',
    assetNames: 'fonts/[name]-[hash]',
    loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' },
    define: { ...common.define, __GRAPHIQL_WORKERS__: JSON.stringify(workers) },
    write: false,
    metafile: true,
  });
  let script;
  let style;
  let fontCount = 0;
  // Font files esbuild copied (url() to a file) are renamed by content hash like the extracted
  // ones, so a font both inlined and referenced by some package is stored once.
  const renamed = new Map();
  for (const file of result.outputFiles) {
    const name = relative(workDir, file.path).split('\\').join('/');
    if (!/\.(js|css)$/.test(name)) {
      const target = `fonts/${shortHash(file.contents)}${name.slice(name.lastIndexOf('.'))}`;
      renamed.set(name, target);
      await mkdir(join(workDir, 'fonts'), { recursive: true });
      await writeFile(join(workDir, target), file.contents);
    }
  }
  for (const file of result.outputFiles) {
    const name = relative(workDir, file.path).split('\\').join('/');
    if (renamed.has(name)) continue;
    if (name.endsWith('.css')) {
      let css = file.text;
      for (const [from, to] of renamed) css = css.split(from).join(to);
      const extracted = await extractFonts(css);
      fontCount += extracted.fontCount;
      style = `app-${shortHash(extracted.css)}.css`;
      await writeFile(join(workDir, style), extracted.css);
      continue;
    }
    if (/^app-[^/]+\.js$/.test(name)) script = name;
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.contents);
  }
  if (!script || !style) throw new Error('build-graphiql: esbuild produced no app script or stylesheet');
  return { script, style, fontCount };
}

async function listFiles(dir, prefix = '') {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`])),
  );
  return nested.flat().sort();
}

/**
 * Writes .br and .gz next to each compressible file when they are smaller; returns the manifest's
 * file table. Brotli quality 9: quality 10-11 saves another ~8% but takes ten times longer.
 */
async function precompress(names) {
  const brotli = promisify(brotliCompress);
  const gz = promisify(gzip);
  const files = {};
  await Promise.all(
    names.map(async (name) => {
      const path = join(workDir, name);
      const data = await readFile(path);
      const entry = { size: data.length, encodings: {} };
      if (COMPRESSIBLE.test(name)) {
        const [br, gzipped] = await Promise.all([
          brotli(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
          gz(data, { level: 9 }),
        ]);
        for (const [encoding, ext, body] of [['br', 'br', br], ['gzip', 'gz', gzipped]]) {
          if (body.length >= data.length) continue;
          await writeFile(`${path}.${ext}`, body);
          entry.encodings[encoding] = { file: `${name}.${ext}`, size: body.length };
        }
      }
      files[name] = entry;
    }),
  );
  return files;
}

async function main() {
  const started = performance.now();
  const pkg = JSON.parse(await readFile(join(root, 'node_modules', 'graphiql', 'package.json'), 'utf8'));
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  const step = (what) => console.log(`graphiql: ${what} (${((performance.now() - started) / 1000).toFixed(1)}s)`);
  step(`building GraphiQL ${pkg.version} into ${relative(root, outDir)}/: bundling ${Object.keys(WORKERS).length} Monaco workers`);
  const workers = await buildWorkers();
  step('bundling the app (React, GraphiQL, styles, fonts)');
  const app = await buildApp(workers);
  step('precompressing (brotli, gzip)');
  const files = await precompress(await listFiles(workDir));
  const manifest = { graphiqlVersion: pkg.version, builtAt: new Date().toISOString(), script: app.script, style: app.style, workers, files };
  await writeFile(join(workDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const previous = `${outDir}.old-${process.pid}`;
  const hadPrevious = await stat(outDir).then(() => true, () => false);
  if (hadPrevious) await rename(outDir, previous);
  await rename(workDir, outDir);
  if (hadPrevious) await rm(previous, { recursive: true, force: true });

  const kb = (n) => `${(n / 1024).toFixed(0)} kB`;
  const total = Object.values(files).reduce((sum, f) => sum + f.size, 0);
  const totalBr = Object.values(files).reduce((sum, f) => sum + (f.encodings.br?.size ?? f.size), 0);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `graphiql ${pkg.version} built into ${relative(root, outDir)}/ in ${seconds}s: ` +
      `${app.script} ${kb(files[app.script].size)} (br ${kb(files[app.script].encodings.br?.size ?? 0)}), ` +
      `${app.style} ${kb(files[app.style].size)}, ${Object.keys(workers).length} workers, ${app.fontCount} fonts; ` +
      `${Object.keys(files).length} files, ${kb(total)} total, ${kb(totalBr)} brotli`,
  );
}

main().catch(async (error) => {
  await rm(workDir, { recursive: true, force: true });
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
