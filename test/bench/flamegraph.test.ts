/** bench/flamegraph.ts: samples merged into call paths by time, idle left out, drawn as SVG. */
import { describe, expect, it } from 'vitest';
import { buildTree, renderSvg } from '../../bench/flamegraph.js';

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url, lineNumber: 0 }, children });

// root → handle (src) → parse (dependency); root → (idle); root → (garbage collector)
const profile = {
  nodes: [
    frame(1, '(root)', '', [2, 4, 5]),
    frame(2, 'handle', 'file:///app/src/http/handler.ts', [3]),
    frame(3, 'parse', 'file:///app/node_modules/body-parser/index.js'),
    frame(4, '(idle)', ''),
    frame(5, '(garbage collector)', ''),
  ],
  // Each sample's weight is the next sample's time delta (µs).
  samples: [2, 3, 3, 4, 5, 2],
  timeDeltas: [0, 1000, 2000, 3000, 500, 250, 0],
};

describe('flamegraph', () => {
  it('weights call paths by time, merges repeated paths and leaves idle time out', () => {
    const tree = buildTree(profile);
    expect(tree.total).toBe(1000 + 2000 + 3000 + 250 + 0 + 0);
    const handle = tree.children.get('handle src/http/handler.ts:1');
    expect(handle?.total).toBe(6000);
    expect(handle?.kind).toBe('bff');
    expect(handle?.children.get('parse body-parser/index.js:1')).toMatchObject({ total: 5000, kind: 'dependency' });
    expect(tree.children.get('(garbage collector)')).toMatchObject({ total: 250, kind: 'v8' });
    expect([...tree.children.keys()]).not.toContain('(idle)');
  });

  it('keeps only the samples of the window asked for', () => {
    // Sample times: 0, 1000, 3000, 6000, 6500, 6750 µs.
    expect(buildTree(profile, 2500, 6000).total).toBe(3000); // the idle sample at 6000 µs left out
  });

  it('draws one box per path with its time in a tooltip', () => {
    const svg = renderSvg(buildTree(profile), 'test <profile>');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('test &lt;profile&gt;');
    expect(svg).toContain('<title>handle src/http/handler.ts:1: 6.0 ms, 96.0%</title>');
    expect(svg).toContain('<title>parse body-parser/index.js:1: 5.0 ms, 80.0%</title>');
    expect(svg.match(/<rect x=/g)?.length).toBe(4 + 4); // all, handle, parse, GC; legend
  });
});
