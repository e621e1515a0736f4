/**
 * Emulator internals: which fields a resolver's result is asked for (its selection's first level,
 * fragments and aliases resolved), so that readers load only those columns. Memoised by field
 * node: a cached document yields the same nodes on every request.
 */
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

const memo = new WeakMap<FieldNode, ReadonlySet<string>>();

/** Names of the fields selected directly under the current field (`__typename` included). */
export function selectedFields(info: GraphQLResolveInfo): ReadonlySet<string> {
  const key = info.fieldNodes.length === 1 ? info.fieldNodes[0]! : null;
  let names = key ? memo.get(key) : undefined;
  if (!names) {
    const out = new Set<string>();
    const seen = new Set<string>();
    const walk = (set: SelectionSetNode | undefined): void => {
      for (const sel of set?.selections ?? []) {
        if (sel.kind === Kind.FIELD) out.add(sel.name.value);
        else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
        else if (!seen.has(sel.name.value)) {
          seen.add(sel.name.value);
          walk(info.fragments[sel.name.value]?.selectionSet);
        }
      }
    };
    for (const node of info.fieldNodes) walk(node.selectionSet);
    names = out;
    if (key) memo.set(key, names);
  }
  return names;
}
