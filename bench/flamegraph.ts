/**
 * `npx tsx bench/flamegraph.ts PROFILE.cpuprofile --out FILE.svg [--from S] [--to S] [--title T]`
 *
 * Draws a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --profile DIR`) as a flame
 * graph in SVG: one box per call path, as wide as the time spent in it and its callees, callers
 * below callees; idle time left out. `--from`/`--to` keep the samples between two instants,
 * seconds from the profile's start (e.g. to leave start-up out). Colours tell whose code a frame
 * is: the BFF's (src/), a dependency's, Node's, or V8's (garbage collection, native code).
 * Boxes narrower than 0.1% of the total are merged away; hovering a box shows its frame, time and
 * share.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A merged call path: its frame, time in it and below it (µs), and its callees. */
interface Frame {
  name: string;
  kind: 'bff' | 'dependency' | 'node' | 'v8';
  total: number;
  children: Map<string, Frame>;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '').replace(/.*?\/(src|bench|test)\//, '$1/');
  return `${functionName || '(anonymous)'}${where ? ` ${where}:${lineNumber + 1}` : ''}`;
}

function kindOf(node: ProfileNode): Frame['kind'] {
  const { url } = node.callFrame;
  if (!url) return 'v8';
  if (url.includes('/node_modules/')) return 'dependency';
  if (url.startsWith('node:')) return 'node';
  return url.includes('/src/') ? 'bff' : 'dependency';
}

/** The profile's samples between `fromUs` and `toUs`, as a tree of merged call paths. */
export function buildTree(profile: Profile, fromUs = 0, toUs = Number.POSITIVE_INFINITY): Frame {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const root: Frame = { name: 'all', kind: 'v8', total: 0, children: new Map() };
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const weight = profile.timeDeltas[i + 1] ?? 0;
    if (t < fromUs || t > toUs || weight <= 0) continue;
    const leaf = byId.get(profile.samples[i] as number);
    if (!leaf || leaf.callFrame.functionName === '(idle)') continue;
    const path: ProfileNode[] = [];
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id) as ProfileNode;
      if (node.callFrame.functionName !== '(root)') path.push(node);
    }
    root.total += weight;
    let frame = root;
    for (let d = path.length - 1; d >= 0; d--) {
      const node = path[d] as ProfileNode;
      const name = frameName(node);
      let child = frame.children.get(name);
      if (!child) {
        child = { name, kind: kindOf(node), total: 0, children: new Map() };
        frame.children.set(name, child);
      }
      child.total += weight;
      frame = child;
    }
  }
  return root;
}

const COLOURS: Record<Frame['kind'], [number, number]> = { bff: [20, 80], dependency: [200, 60], node: [120, 45], v8: [0, 0] };
const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The tree as an SVG flame graph, `width` px wide. */
export function renderSvg(root: Frame, title: string, width = 1200): string {
  const rowHeight = 16;
  const minShare = 0.001;
  const boxes: string[] = [];
  let maxDepth = 0;
  const place = (frame: Frame, x: number, depth: number): void => {
    maxDepth = Math.max(maxDepth, depth);
    const w = (frame.total / root.total) * width;
    const share = ((100 * frame.total) / root.total).toFixed(1);
    const [hue, sat] = COLOURS[frame.kind];
    const light = 55 + ((frame.name.length * 7) % 20);
    const label = w > 40 ? escape(frame.name.slice(0, Math.floor(w / 6.5))) : '';
    boxes.push(
      `<g><title>${escape(frame.name)}: ${(frame.total / 1000).toFixed(1)} ms, ${share}%</title>` +
        `<rect x="${x.toFixed(2)}" y="DEPTH${depth}" width="${Math.max(0.5, w - 0.5).toFixed(2)}" height="${rowHeight - 1}" fill="hsl(${hue},${sat}%,${light}%)"/>` +
        (label ? `<text x="${(x + 3).toFixed(2)}" y="TEXT${depth}">${label}</text>` : '') +
        '</g>',
    );
    let cx = x;
    for (const child of [...frame.children.values()].sort((a, b) => b.total - a.total)) {
      if (child.total / root.total < minShare) continue;
      place(child, cx, depth + 1);
      cx += (child.total / root.total) * width;
    }
  };
  place(root, 0, 0);
  const top = 40;
  const height = top + (maxDepth + 1) * rowHeight + 30;
  // Callers below callees: depth 0 at the bottom.
  const body = boxes
    .join('\n')
    .replace(/y="DEPTH(\d+)"/g, (_m, d: string) => `y="${top + (maxDepth - Number(d)) * rowHeight}"`)
    .replace(/y="TEXT(\d+)"/g, (_m, d: string) => `y="${top + (maxDepth - Number(d)) * rowHeight + 12}"`);
  const legend = (['bff', 'dependency', 'node', 'v8'] as const)
    .map((k, i) => `<rect x="${10 + i * 150}" y="${height - 20}" width="12" height="12" fill="hsl(${COLOURS[k][0]},${COLOURS[k][1]}%,62%)"/><text x="${26 + i * 150}" y="${height - 10}">${{ bff: 'BFF (src/)', dependency: 'dependency', node: 'Node.js', v8: 'V8, native, GC' }[k]}</text>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="monospace" font-size="11">\n` +
    `<rect width="100%" height="100%" fill="#fff"/>\n<text x="10" y="20" font-size="14">${escape(title)} (${(root.total / 1000).toFixed(0)} ms of samples, idle left out)</text>\n` +
    `${body}\n${legend}\n</svg>\n`
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, title: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || !values.out) {
    process.stderr.write('usage: npx tsx bench/flamegraph.ts PROFILE.cpuprofile --out FILE.svg [--from S] [--to S] [--title T]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const tree = buildTree(profile, Number(values.from ?? 0) * 1e6, values.to === undefined ? Number.POSITIVE_INFINITY : Number(values.to) * 1e6);
  writeFileSync(values.out, renderSvg(tree, values.title ?? file));
  process.stdout.write(`${values.out}: ${(tree.total / 1000).toFixed(0)} ms of samples\n`);
}
