/**
 * Emulator internals: the log of received GraphQL requests (`GET /__emulator/requests`), with
 * each root field's selection flattened to dotted leaf paths (aliases resolved, fragments
 * inlined, `__typename` left out), so tests can assert what the BFF asked for.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export interface LoggedRequest {
  time: string;
  credentialHash: string | null;
  rootFields: string[];
  variables: Record<string, unknown>;
  fields: Record<string, string[]>;
  fault?: string;
}

const MAX_ENTRIES = 100_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  add(entry: LoggedRequest): void {
    if (this.entries.length >= MAX_ENTRIES) this.entries.shift();
    this.entries.push(entry);
  }
  list(): LoggedRequest[] {
    return this.entries;
  }
  clear(): void {
    this.entries = [];
  }
}

export function selectedOperation(doc: DocumentNode, operationName?: string | null): OperationDefinitionNode | null {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return ops.find((o) => o.name?.value === operationName) ?? null;
  return ops[0] ?? null;
}

/** Root field names (in order, unique) and each one's dotted leaf paths. */
export function describeOperation(doc: DocumentNode, op: OperationDefinitionNode | null): { rootFields: string[]; fields: Record<string, string[]> } {
  const fragments = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const fields: Record<string, string[]> = {};
  if (!op) return { rootFields: [], fields };
  const leaves = (set: SelectionSetNode, prefix: string, out: Set<string>, seen: Set<string>): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (name === '__typename') continue;
        if (sel.selectionSet) leaves(sel.selectionSet, `${prefix}${name}.`, out, seen);
        else out.add(`${prefix}${name}`);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) leaves(sel.selectionSet, prefix, out, seen);
      else {
        const frag = fragments.get(sel.name.value);
        if (frag && !seen.has(frag.name.value)) leaves(frag.selectionSet, prefix, out, new Set([...seen, frag.name.value]));
      }
    }
  };
  const roots = new Map<string, Set<string>>();
  const walkRoot = (set: SelectionSetNode, seen: Set<string>): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (name === '__typename') continue;
        const out = roots.get(name) ?? new Set<string>();
        roots.set(name, out);
        if (sel.selectionSet && !name.startsWith('__')) leaves(sel.selectionSet, '', out, seen);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) walkRoot(sel.selectionSet, seen);
      else {
        const frag = fragments.get(sel.name.value);
        if (frag && !seen.has(frag.name.value)) walkRoot(frag.selectionSet, new Set([...seen, frag.name.value]));
      }
    }
  };
  walkRoot(op.selectionSet, new Set());
  for (const [name, set] of roots) fields[name] = [...set];
  return { rootFields: [...roots.keys()], fields };
}
