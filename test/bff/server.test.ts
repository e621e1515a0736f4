/** HTTP surface of the BFF: health, readiness, metrics, CSRF, body limit, landing page, warnings, error masking. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRootField, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { BODY_LIMIT: '20kb', MAX_ALIASES: '50' } });
});
afterAll(() => stack.close());

describe('HTTP surface', () => {
  it('answers /healthz, /readyz and /metrics', async () => {
    expect(await (await fetch(`${stack.bff.origin}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${stack.bff.origin}/readyz`)).status).toBe(200);
    await stack.gql(`{ countAssets(projectId: "${stack.demo.projects.text.id}") }`);
    const metrics = await (await fetch(`${stack.bff.origin}/metrics`)).text();
    expect(metrics).toContain('bff_upstream_request_duration_seconds_bucket');
    expect(metrics).toContain('bff_graphql_request_duration_seconds');
    expect(metrics).not.toContain(stack.key);
  });

  it('labels request metrics by operation type and root field: 300 distinct operation names add no series', async () => {
    const metricLines = async (prefix: string) =>
      (await (await fetch(`${stack.bff.origin}/metrics`)).text()).split('\n').filter((l) => l.startsWith(prefix));
    const p = stack.demo.projects.text.id;
    await stack.gql(`query First { countAssets(projectId: "${p}", where: { assetIdIn: [] }) }`);
    const before = await metricLines('bff_graphql_request_duration_seconds_count');
    for (let i = 0; i < 300; i++) await stack.gql(`query Op_${i}_${'x'.repeat(40)} { countAssets(projectId: "${p}", where: { assetIdIn: [] }) }`);
    const after = await metricLines('bff_graphql_request_duration_seconds_count');
    expect(after.length).toBe(before.length);
    expect(after.join('\n')).not.toMatch(/Op_|First/);
    expect(after.join('\n')).toContain('operation="query",root_field="countAssets",outcome="ok"');
  });

  it('counts upstream mutation batches by root field', async () => {
    const counted = async () => {
      const line = (await (await fetch(`${stack.bff.origin}/metrics`)).text())
        .split('\n')
        .find((l) => l.startsWith('bff_mutation_batches_total{root_field="updatePropertiesInAssets"}'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const ids = (
      await stack.gql<{ assets: { id: string }[] }>('query($p: ID!) { assets(projectId: $p, first: 150) { id } }', { p: stack.demo.projects.text.id })
    ).body.data!.assets.map((a) => a.id);
    const before = await counted();
    await stack.clearRequests();
    const { body } = await stack.gql('mutation($a: [AssetPropertiesInput!]!) { updatePropertiesInAssets(assets: $a) { assets { id } } }', {
      a: ids.map((id) => ({ id, priority: 3 })),
    });
    expect(body.errors).toBeUndefined();
    const sent = countRootField(await stack.requests(), 'updatePropertiesInAssets');
    expect(sent).toBe(Math.ceil(ids.length / 100));
    expect((await counted()) - before).toBe(sent);
  });

  it('puts a request id on every response', async () => {
    const r = await stack.gql('{ __typename }', undefined, { headers: { 'x-request-id': 'req-123' } });
    expect(r.headers.get('x-request-id')).toBe('req-123');
    expect((await stack.gql('{ __typename }')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('blocks CSRF-prone GET requests without a preflight header', async () => {
    const url = `${stack.bff.url}?query=${encodeURIComponent('{ __typename }')}`;
    expect((await fetch(url)).status).toBe(400);
    expect((await fetch(url, { headers: { 'apollo-require-preflight': '1' } })).status).toBe(200);
  });

  it('rejects an oversized body with 413', async () => {
    const r = await fetch(stack.bff.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(30_000)}` }),
    });
    expect(r.status).toBe(413);
    expect(((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('does not serve Apollo’s CDN landing page', async () => {
    const r = await fetch(stack.bff.url, { headers: { accept: 'text/html' } });
    expect(await r.text()).not.toMatch(/apollo-server-landing-page|embeddable-sandbox|cdn\.apollographql/);
  });

  it('renders filter warnings in extensions.warnings, once each', async () => {
    const { body } = await stack.gql(
      `query($p: ID!) { countAssets(projectId: $p, where: { consensusMarkGt: 0.5 }) assets(projectId: $p, where: { consensusMarkGt: 0.5 }) { id } }`,
      { p: stack.demo.projects.text.id },
    );
    expect(body.extensions?.warnings).toEqual([
      {
        code: 'DEPRECATED_FILTER',
        field: 'where.consensusMarkGt',
        replacement: 'consensusMarkGte',
        message: '`consensusMarkGt` is deprecated: use `consensusMarkGte`. It is applied as an inclusive bound (≥), as in the Kili SDK, not a strict one.',
      },
    ]);
  });

  it('limits aliases (MAX_ALIASES) before any upstream call', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: asset(id: "x${i}") { id }`).join(' ')} }`;
    expect((await stack.gql(aliases(50))).body.errors).toBeUndefined();
    await stack.clearRequests();
    const r = await stack.gql(aliases(51));
    expect(r.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await stack.requests()).toEqual([]);
  });

  it('answers asset(id) with null for an unknown id', async () => {
    const { body } = await stack.gql('{ asset(id: "no-such-asset") { id } }');
    expect(body).toEqual({ data: { asset: null } });
  });
});
