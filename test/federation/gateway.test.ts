/**
 * Apollo Federation: the BFF's schema/bff.graphql composed with a second subgraph by
 * `@apollo/composition`, served by `@apollo/gateway` (static supergraph, client Authorization
 * forwarded to the subgraphs), over the real BFF and emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRootField, gqlRequest, startStack, type GqlResponse, type Stack } from '../helpers/stack.js';
import { QUALITY_SDL, bffTypeDefs, composeSupergraph, startGateway, startQualitySubgraph, type Gateway, type QualitySubgraph } from './servers.js';

const ALIASES = [
  'consensusMarkGt', 'consensusMarkLt', 'honeypotMarkGt', 'honeypotMarkLt',
  'labelConsensusMarkGt', 'labelConsensusMarkLt', 'labelHoneypotMarkGt', 'labelHoneypotMarkLt',
  'labelCreatedAtGt', 'labelCreatedAtLt', 'externalIdContains',
];

let stack: Stack;
let quality: QualitySubgraph;
let supergraphSdl: string;
let gateway: Gateway;
/** Same supergraph, plus the recipe that copies subgraph `extensions.warnings` to the client. */
let warningGateway: Gateway;
/** The 150 assets seeded for these tests (external ids fed-0 … fed-149), in creation order. */
let fedIds: string[];

beforeAll(async () => {
  [stack, quality] = await Promise.all([startStack(), startQualitySubgraph()]);
  fedIds = await stack.seed(stack.demo.projects.text.id, 150, { externalIdPrefix: 'fed-' });
  fedIds.forEach((id, i) => quality.scores.set(id, i / 150));
  const composed = composeSupergraph([
    { name: 'bff', url: stack.bff.url, sdl: bffTypeDefs() },
    { name: 'quality', url: quality.url, sdl: QUALITY_SDL },
  ]);
  expect(composed.errors).toBeUndefined();
  supergraphSdl = composed.supergraphSdl!;
  [gateway, warningGateway] = await Promise.all([startGateway(supergraphSdl), startGateway(supergraphSdl, { forwardWarnings: true })]);
});
afterAll(async () => {
  await Promise.all([gateway?.close(), warningGateway?.close()]);
  await Promise.all([quality?.close(), stack?.close()]);
});

const viaGateway = <D>(gw: Gateway, query: string, variables?: Record<string, unknown>, key: string | null = stack.key): Promise<GqlResponse<D>> =>
  gqlRequest<D>(gw.url, query, variables, key ? { authorization: `X-API-Key: ${key}` } : {});

describe('composition', () => {
  it('composes the BFF with a subgraph extending Asset, without errors or hints', () => {
    const composed = composeSupergraph([
      { name: 'bff', url: stack.bff.url, sdl: bffTypeDefs() },
      { name: 'quality', url: quality.url, sdl: QUALITY_SDL },
    ]);
    expect(composed.errors).toBeUndefined();
    expect(composed.hints).toEqual([]);
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/join/v0.');
    expect(supergraphSdl).toMatch(/enum join__Graph \{[^}]*BFF @join__graph\(name: "bff", url: "http:\/\/127\.0\.0\.1:\d+\/graphql"\)/);
    expect(supergraphSdl).toMatch(/QUALITY @join__graph\(name: "quality"/);
    expect(supergraphSdl).toMatch(/type Asset\s+@join__type\(graph: BFF, key: "id"\)\s+@join__type\(graph: QUALITY, key: "id"\)/);
    expect(supergraphSdl).toMatch(/qualityScore: Float @join__field\(graph: QUALITY\)/);
  });
});

describe('queries across both subgraphs', () => {
  it('150 references from the quality subgraph: the BFF resolves them in one _entities request, 2 upstream calls', async () => {
    await stack.clearRequests();
    gateway.sent.clear();
    const { body } = await viaGateway<{ flaggedAssets: { id: string; qualityScore: number; externalId: string; status: string }[] }>(
      gateway,
      '{ flaggedAssets { id qualityScore externalId status } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.flaggedAssets).toEqual(fedIds.map((id, i) => ({ id, qualityScore: i / 150, externalId: `fed-${i}`, status: 'TODO' })));
    expect(Object.fromEntries(gateway.sent)).toEqual({ quality: 1, bff: 1 });
    const log = await stack.requests();
    expect(countRootField(log, 'assets')).toBe(2);
    expect(log).toHaveLength(2);
    // Projection pushdown survives the gateway: only what the plan asked of the BFF (plus id).
    expect(log[0]!.fields.assets!.sort()).toEqual(['externalId', 'id', 'status']);
  });

  it('a query starting at the BFF selects the other subgraph field (one _entities request there)', async () => {
    quality.entityBatches.length = 0;
    gateway.sent.clear();
    const { body } = await viaGateway<{ assets: { id: string; externalId: string; qualityScore: number | null }[] }>(
      gateway,
      'query($p: ID!, $x: [String!]) { assets(projectId: $p, first: 20, where: { externalIdStrictlyIn: $x }) { id externalId qualityScore } }',
      { p: stack.demo.projects.text.id, x: ['fed-3', 'fed-75', 'fed-149'] },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.assets).toEqual([
      { id: fedIds[3], externalId: 'fed-3', qualityScore: 3 / 150 },
      { id: fedIds[75], externalId: 'fed-75', qualityScore: 75 / 150 },
      { id: fedIds[149], externalId: 'fed-149', qualityScore: 149 / 150 },
    ]);
    expect(quality.entityBatches).toEqual([3]);
    expect(Object.fromEntries(gateway.sent)).toEqual({ bff: 1, quality: 1 });
  });

  it('assets unknown to the quality subgraph get a null score', async () => {
    const { body } = await viaGateway<{ assets: { qualityScore: number | null }[] }>(
      gateway,
      'query($p: ID!) { assets(projectId: $p, first: 5) { qualityScore } }',
      { p: stack.demo.projects.image.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.assets).toEqual(Array.from({ length: 5 }, () => ({ qualityScore: null })));
  });

  it('without the client Authorization header the BFF part fails with UNAUTHENTICATED', async () => {
    const { body } = await viaGateway<{ assets: unknown }>(gateway, 'query($p: ID!) { assets(projectId: $p, first: 1) { id } }', { p: stack.demo.projects.text.id }, null);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('deprecated AssetWhere aliases through the gateway', () => {
  it('composition keeps every alias, @deprecated with its reason, in the supergraph', () => {
    for (const alias of ALIASES) expect(supergraphSdl).toMatch(new RegExp(`\\n\\s+${alias}: \\[?\\w+!?\\]? @deprecated\\(reason: "Use \\w+\\."\\)`));
  });

  it('the gateway API schema hides them from default introspection and lists them with includeDeprecated', async () => {
    const { body } = await viaGateway<{ __type: { all: { name: string; isDeprecated: boolean; deprecationReason: string | null }[]; current: { name: string }[] } }>(
      gateway,
      '{ __type(name: "AssetWhere") { current: inputFields { name } all: inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } }',
    );
    expect(body.errors).toBeUndefined();
    const current = body.data!.__type.current.map((f) => f.name);
    expect(current).toContain('consensusMarkGte');
    for (const alias of ALIASES) expect(current).not.toContain(alias);
    const deprecated = body.data!.__type.all.filter((f) => f.isDeprecated);
    expect(deprecated.map((f) => f.name).sort()).toEqual([...ALIASES].sort());
    expect(deprecated.find((f) => f.name === 'consensusMarkGt')?.deprecationReason).toBe('Use consensusMarkGte.');
  });

  it('a query using aliases works through the gateway and gives the canonical fields’ results', async () => {
    const p = stack.demo.projects.text.id;
    const ids = async (where: string) => {
      const { body } = await viaGateway<{ assets: { id: string }[] }>(gateway, `query($p: ID!) { assets(projectId: $p, first: 1000, where: ${where}) { id } }`, { p });
      expect(body.errors).toBeUndefined();
      return body.data!.assets.map((a) => a.id);
    };
    expect(await ids('{ externalIdContains: ["fed-7"] }')).toEqual([fedIds[7]]);
    const canonical = await ids('{ consensusMarkGte: 0.5 }');
    // The same ids as the BFF gives directly, and not none (the comparison below would be vacuous).
    const direct = await stack.gql<{ assets: { id: string }[] }>(`query($p: ID!) { assets(projectId: $p, first: 1000, where: { consensusMarkGte: 0.5 }) { id } }`, { p });
    expect(canonical).toEqual(direct.body.data!.assets.map((a) => a.id));
    expect(canonical).not.toEqual([]);
    expect(await ids('{ consensusMarkGt: 0.5 }')).toEqual(canonical);
    // Variables carrying an alias pass through the gateway too.
    const { body } = await viaGateway<{ countAssets: number }>(gateway, 'query($p: ID!, $w: AssetWhere) { countAssets(projectId: $p, where: $w) }', {
      p,
      w: { externalIdContains: ['fed-7', 'fed-8'] },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.countAssets).toBe(2);
  });

  it("the BFF's DEPRECATED_FILTER warning does not reach the gateway client (Apollo Gateway drops subgraph extensions)", async () => {
    const query = 'query($p: ID!) { assets(projectId: $p, first: 5, where: { externalIdContains: ["fed-7"] }) { externalId } }';
    const variables = { p: stack.demo.projects.text.id };
    const direct = await stack.gql(query, variables);
    expect(direct.body.extensions?.warnings).toEqual([expect.objectContaining({ code: 'DEPRECATED_FILTER', field: 'where.externalIdContains', replacement: 'externalIdStrictlyIn' })]);

    const viaPlain = await viaGateway(gateway, query, variables);
    expect(viaPlain.body.errors).toBeUndefined();
    expect(viaPlain.body.data).toEqual(direct.body.data);
    expect(viaPlain.body.extensions?.warnings).toBeUndefined();

    // Recipe: collect subgraph warnings in didReceiveResponse, add them in willSendResponse.
    const viaRecipe = await viaGateway(warningGateway, query, variables);
    expect(viaRecipe.body.extensions?.warnings).toEqual(direct.body.extensions?.warnings);
  });
});
