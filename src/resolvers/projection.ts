/**
 * Internal. Projection pushdown (DESIGN §5): the upstream selection of an asset query is derived
 * from the client's selection set, so the upstream computes and sends only what was asked for
 * (plus the asset `id`, needed for dedup and batching). Aliases resolve to field names, fragments
 * are inlined, `@skip`/`@include` are honoured, `__typename` is dropped. The table below is the
 * public schema's side of the read model: which upstream field serves each public field.
 */
import {
  Kind,
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Selection } from '../upstream/selection.js';

type FieldSpec = { leaf: string } | { object: TypeName; as?: string };
type TypeName = 'Asset' | 'Label' | 'User' | 'Resolution' | 'PageResolution';

const leaves = (...names: string[]): Record<string, FieldSpec> => Object.fromEntries(names.map((n) => [n, { leaf: n }]));

/** Public (BFF) fields of each type and where they come from upstream. */
const TYPES: Record<TypeName, { fields: Record<string, FieldSpec>; fallback: string }> = {
  Asset: {
    fields: {
      ...leaves('id', 'externalId', 'content', 'jsonContent', 'jsonMetadata', 'createdAt', 'updatedAt', 'status', 'isHoneypot'),
      ...leaves('honeypotMark', 'consensusMark', 'inferenceMark', 'priority', 'skipped', 'isUsedForConsensus'),
      project: { leaf: 'projectId' },
      toBeLabeledBy: { object: 'User' },
      resolution: { object: 'Resolution' },
      pageResolutions: { object: 'PageResolution' },
      labels: { object: 'Label' },
      latestLabel: { object: 'Label' },
    },
    fallback: 'id',
  },
  Label: {
    fields: {
      ...leaves('id', 'createdAt', 'updatedAt', 'labelType', 'jsonResponse', 'consensusMark', 'honeypotMark', 'inferenceMark'),
      ...leaves('isLatestLabelForUser'),
      author: { object: 'User' },
    },
    fallback: 'id',
  },
  User: { fields: leaves('id', 'email', 'firstname', 'lastname'), fallback: 'id' },
  Resolution: { fields: leaves('width', 'height'), fallback: 'width' },
  PageResolution: { fields: leaves('pageNumber', 'width', 'height', 'rotation'), fallback: 'pageNumber' },
};

export interface SelectionSource {
  fieldNodes: readonly FieldNode[];
  fragments: Record<string, FragmentDefinitionNode>;
  variableValues: Record<string, unknown>;
}

function included(node: FieldNode | { directives?: FieldNode['directives'] }, variables: Record<string, unknown>): boolean {
  if (!node.directives?.length) return true;
  const skip = getDirectiveValues(GraphQLSkipDirective, node as FieldNode, variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node as FieldNode, variables);
  return include?.if !== false;
}

function collect(set: SelectionSetNode | undefined, type: TypeName, source: SelectionSource, into: Selection): void {
  if (!set) return;
  for (const node of set.selections) {
    if (!included(node, source.variableValues)) continue;
    if (node.kind === Kind.FIELD) {
      const spec = TYPES[type].fields[node.name.value];
      if (!spec) continue; // __typename, or a field of another type in an abstract position
      if ('leaf' in spec) {
        into[spec.leaf] = true;
      } else {
        const existing = into[node.name.value];
        const child: Selection = existing && existing !== true ? existing : {};
        collect(node.selectionSet, spec.object, source, child);
        into[node.name.value] = child;
      }
    } else {
      const fragment = node.kind === Kind.INLINE_FRAGMENT ? node : source.fragments[node.name.value];
      if (!fragment) continue;
      const condition = fragment.typeCondition?.name.value;
      if (condition && condition !== type) continue;
      collect(fragment.selectionSet, type, source, into);
    }
  }
}

function complete(selection: Selection, type: TypeName): void {
  if (Object.keys(selection).length === 0) selection[TYPES[type].fallback] = true;
  for (const [name, sub] of Object.entries(selection)) {
    const spec = TYPES[type].fields[name];
    if (sub !== true && spec && 'object' in spec) complete(sub, spec.object);
  }
}

/** The upstream selection of an `Asset`-typed field (also `[Asset]`, and `_entities` via `... on Asset`). Always includes `id`. */
export function assetSelection(source: SelectionSource): Selection {
  const selection: Selection = { id: true };
  for (const fieldNode of source.fieldNodes) collect(fieldNode.selectionSet, 'Asset', source, selection);
  complete(selection, 'Asset');
  return selection;
}
