import { describe, expect, it } from 'vitest';
import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { assetSelection } from '../../src/resolvers/projection.js';
import { coversSelection, FULL_ASSET_SELECTION, mergeSelections, printSelection } from '../../src/upstream/selection.js';

function selectionOf(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const fieldNodes = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  return printSelection(assetSelection({ fieldNodes, fragments, variableValues: variables }));
}

describe('projection pushdown', () => {
  it('keeps only the selected fields, plus id', () => {
    expect(selectionOf('{ assets { externalId labels { id } } }')).toBe('externalId id labels { id }');
  });

  it('resolves aliases, fragments, inline fragments and nested labels { author { … } }', () => {
    const query = `
      query { a: assets { ...F meta: jsonMetadata ... on Asset { latestLabel { labelType } } __typename } }
      fragment F on Asset { labels { author { email } jsonResponse } project { id } toBeLabeledBy { __typename } }`;
    expect(selectionOf(query)).toBe(
      'id jsonMetadata labels { author { email } jsonResponse } latestLabel { labelType } projectId toBeLabeledBy { id }',
    );
  });

  it('honours @skip and @include', () => {
    const query = 'query($x: Boolean!) { assets { content @include(if: $x) status @skip(if: $x) } }';
    expect(selectionOf(query, { x: true })).toBe('content id');
    expect(selectionOf(query, { x: false })).toBe('id status');
  });

  it('takes only the Asset part of an _entities selection', () => {
    expect(selectionOf('{ _entities(representations: []) { ... on Asset { externalId } ... on Project { id } } }')).toBe('externalId id');
  });

  it('selecting every public field reads exactly the full upstream selection', () => {
    const user = '{ id email firstname lastname }';
    const label = `{ id createdAt updatedAt labelType jsonResponse consensusMark honeypotMark inferenceMark isLatestLabelForUser author ${user} }`;
    const query = `{ asset { id externalId content jsonContent jsonMetadata createdAt updatedAt status isHoneypot honeypotMark consensusMark
      inferenceMark priority skipped isUsedForConsensus project { id } toBeLabeledBy ${user} resolution { width height }
      pageResolutions { pageNumber width height rotation } labels ${label} latestLabel ${label} } }`;
    expect(selectionOf(query)).toBe(printSelection(FULL_ASSET_SELECTION));
  });

  it('merges and compares selections', () => {
    const merged = mergeSelections({ id: true, labels: { id: true } }, { labels: { author: { email: true } } });
    expect(printSelection(merged)).toBe('id labels { author { email } id }');
    expect(coversSelection(merged, { labels: { id: true } })).toBe(true);
    expect(coversSelection(merged, { labels: { author: { id: true } } })).toBe(false);
  });
});
