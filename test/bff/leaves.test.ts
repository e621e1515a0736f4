/**
 * Upstream leaf serialization (src/schema/leaves.ts): what graphql-js would write for each
 * built-in scalar and enum value of an asset read from upstream, in place, nested objects and
 * lists included; values it cannot write become its errors; other fields are left alone.
 */
import { buildSchema, GraphQLEnumType, GraphQLError, GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { upstreamLeafSerializer } from '../../src/schema/leaves.js';
import { buildBffSchema } from '../../src/schema/index.js';
import { JsonText } from '../../src/json-text.js';

describe('upstreamLeafSerializer', () => {
  it('serializes an asset, its labels, users and resolutions as graphql-js would, in place', async () => {
    const schema = await buildBffSchema();
    const serialize = upstreamLeafSerializer(schema.getType('Asset') as GraphQLObjectType);
    const metadata = new JsonText('{"a":1}');
    const asset: Record<string, unknown> = {
      id: 12,
      externalId: 'ext',
      status: 'LABELED',
      priority: '3',
      isHoneypot: 0,
      consensusMark: null,
      jsonMetadata: metadata,
      createdAt: '2024-01-01T00:00:00.000Z',
      projectId: 99,
      resolution: { width: '10', height: 20 },
      toBeLabeledBy: [{ id: 1, email: true }, null],
      labels: [{ id: 'l1', labelType: 'REVIEW', author: null }],
      latestLabel: { id: 'l2', labelType: 'WRONG' },
      notAField: 5,
    };
    serialize(asset);
    const { latestLabel, ...rest } = asset;
    expect(rest).toEqual({
      id: '12',
      externalId: 'ext',
      status: 'LABELED',
      priority: 3,
      isHoneypot: false,
      consensusMark: null,
      jsonMetadata: metadata,
      createdAt: '2024-01-01T00:00:00.000Z',
      projectId: 99,
      resolution: { width: 10, height: 20 },
      toBeLabeledBy: [{ id: '1', email: 'true' }, null],
      labels: [{ id: 'l1', labelType: 'REVIEW', author: null }],
      notAField: 5,
    });
    const wrong = (latestLabel as { labelType: unknown }).labelType;
    expect(wrong).toBeInstanceOf(GraphQLError);
    expect((wrong as Error).message).toBe('Enum "LabelType" cannot represent value: "WRONG"');
    expect((latestLabel as { id: unknown }).id).toBe('l2');
  });

  it('follows lists at any depth and leaves fields with resolvers alone', () => {
    const schema = buildSchema('type T { grid: [[Int]] names: [String!] one: E computed: Int child: T } enum E { A B } type Query { t: T }');
    (schema.getType('T') as GraphQLObjectType).getFields()['computed']!.resolve = () => 1;
    const serialize = upstreamLeafSerializer(schema.getType('T') as GraphQLObjectType);
    const value: Record<string, unknown> = { grid: [[1, '2', null], null, [true]], names: [3, 'x'], one: 'A', computed: 'not read', child: { one: 'C', grid: 5 } };
    serialize(value);
    expect(value).toEqual({ grid: [[1, 2, null], null, [1]], names: ['3', 'x'], one: 'A', computed: 'not read', child: { one: expect.any(GraphQLError), grid: 5 } });
    expect(((value['child'] as Record<string, unknown>)['one'] as Error).message).toBe('Enum "E" cannot represent value: "C"');
  });

  it('serializes enums with internal values every time (their names are not what resolvers give)', () => {
    const Level = new GraphQLEnumType({ name: 'Level', values: { LOW: { value: 1 }, HIGH: { value: 2 } } });
    const T = new GraphQLObjectType({ name: 'T', fields: { level: { type: Level } } });
    const serialize = upstreamLeafSerializer(T);
    const value: Record<string, unknown> = { level: 2 };
    serialize(value);
    expect(value).toEqual({ level: 'HIGH' });
    const named: Record<string, unknown> = { level: 'HIGH' };
    serialize(named);
    expect(named['level']).toBeInstanceOf(GraphQLError);
  });
});
