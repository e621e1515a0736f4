/**
 * The public enums accept exactly the values of the Kili API and the SDK (reference:
 * kili-upstream.md §7.1 and §7.3), as a client sees them through introspection, and each value
 * works as a filter against the emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const UPSTREAM: Record<string, string[]> = {
  AssetStatus: ['LABELED', 'ONGOING', 'REVIEWED', 'TODO', 'TO_REVIEW'],
  LabelType: ['AUTOSAVE', 'DEFAULT', 'INFERENCE', 'PREDICTION', 'REVIEW'],
  IssueType: ['ISSUE', 'QUESTION'],
  IssueStatus: ['CANCELLED', 'OPEN', 'SOLVED'],
};

async function enumValues(url: string, name: string): Promise<string[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${stack.key}` },
    body: JSON.stringify({ query: 'query($n: String!) { __type(name: $n) { enumValues(includeDeprecated: true) { name } } }', variables: { n: name } }),
  });
  const body = (await response.json()) as { data: { __type: { enumValues: { name: string }[] } | null } };
  return (body.data.__type?.enumValues ?? []).map((v) => v.name).sort();
}

describe('public enums', () => {
  it.each(Object.entries(UPSTREAM))('%s has exactly the upstream values, in the BFF and in the emulator', async (name, values) => {
    expect(await enumValues(stack.bff.url, name)).toEqual(values);
    expect(await enumValues(stack.emulator.url, name)).toEqual(values);
  });

  it.each(UPSTREAM.IssueStatus!)('issueStatus %s selects the assets whose issue has that state', async (status) => {
    const p = stack.demo.projects.text.id;
    const { body } = await stack.gql<{ countAssets: number }>('query($p: ID!, $s: IssueStatus) { countAssets(projectId: $p, where: { issueStatus: $s }) }', { p, s: status });
    expect(body.errors).toBeUndefined();
    const direct = await fetch(stack.emulator.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${stack.key}` },
      body: JSON.stringify({ query: 'query($w: AssetWhere!) { countAssets(where: $w) }', variables: { w: { project: { id: p }, issue: { status: status } } } }),
    });
    const expected = ((await direct.json()) as { data: { countAssets: number } }).data.countAssets;
    expect(expected).toBeGreaterThan(0);
    expect(body.data!.countAssets).toBe(expected);
  });
});
