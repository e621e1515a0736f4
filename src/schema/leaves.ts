/**
 * Internal. Leaf values of upstream objects, serialized once, when they are read.
 *
 * Compiled operations run with graphql-jit's `disableLeafSerialization` (src/execution): values of
 * the built-in scalars and of enums are written as resolvers give them, without the serializer
 * call and the location and path arrays graphql-jit allocates for every such value (three to four
 * objects per leaf, 1,800 leaves in an answer to the SDK's default query). Every such value the
 * BFF answers with must then be serialized already. The BFF's own values already are (they are
 * typed, and its enum values are their names); objects read from upstream (assets, their labels, users, resolutions) get
 * here, field by field, the serialization graphql-js applies when it completes them, a value it
 * cannot serialize being replaced by the error it raises, which both executors report for that
 * field as graphql-js would. Serializing again is harmless: graphql-js does, on operations that
 * run on it, and a serialized value serializes to itself.
 */
import {
  getNamedType,
  GraphQLError,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from 'graphql';

/** How a field's value is checked: a built-in scalar's kind, an enum, or an object type. */
const enum Kind {
  ID,
  String,
  Boolean,
  Int,
  Float,
  Enum,
  Object,
}

interface Entry {
  name: string;
  kind: Kind;
  /** List nesting of the field's type ([T] = 1). */
  listDepth: number;
  /** The leaf type (its serializer for values that are not already what it writes). */
  leaf: GraphQLLeafType | null;
  /** An enum's value names, when every value is its own name (else null: always serialized). */
  names: ReadonlySet<string> | null;
  /** An object type. */
  object: GraphQLObjectType | null;
}

const SCALAR_KINDS: Readonly<Record<string, Kind>> = { ID: Kind.ID, String: Kind.String, Boolean: Kind.Boolean, Int: Kind.Int, Float: Kind.Float };
const MAX_INT = 2147483647;
const MIN_INT = -2147483648;

/** The fields of `type` (and of object types below it) that hold upstream values, by type. */
function planFor(type: GraphQLObjectType, plans: Map<GraphQLObjectType, Entry[]>): Entry[] {
  const known = plans.get(type);
  if (known) return known;
  const plan: Entry[] = [];
  plans.set(type, plan);
  for (const field of Object.values(type.getFields())) {
    // A field with a resolver of its own does not read its parent's property.
    if (field.resolve) continue;
    let listDepth = 0;
    let inner: GraphQLOutputType = field.type;
    for (;;) {
      if (isNonNullType(inner)) {
        inner = inner.ofType;
      } else if (isListType(inner)) {
        inner = inner.ofType;
        listDepth += 1;
      } else {
        break;
      }
    }
    const named = getNamedType(field.type);
    if (isEnumType(named)) {
      // The names let a value through unchanged only when every value is its own name (no internal values).
      const values = named.getValues();
      const names = values.every((v) => v.value === v.name) ? new Set(values.map((v) => v.name)) : null;
      plan.push({ name: field.name, kind: Kind.Enum, listDepth, leaf: named, names, object: null });
    } else if (isSpecifiedScalarType(named)) {
      plan.push({ name: field.name, kind: SCALAR_KINDS[named.name] as Kind, listDepth, leaf: named as GraphQLLeafType, names: null, object: null });
    } else if (isObjectType(named)) {
      planFor(named, plans);
      plan.push({ name: field.name, kind: Kind.Object, listDepth, leaf: null, names: null, object: named });
    }
  }
  return plan;
}

/**
 * `value` as graphql-js writes a value of `type` (a built-in scalar or an enum, whose serializers
 * never return null), or the error it raises; null, undefined and errors as they are.
 */
export function serializeLeaf(type: GraphQLLeafType, value: unknown): unknown {
  if (value == null || value instanceof Error) return value;
  try {
    return type.serialize(value);
  } catch (error) {
    return error instanceof Error ? error : new GraphQLError(String(error));
  }
}

/** Replaces every non-null item of a list nested `depth` deep by `convert(item)`. */
function eachItem(list: unknown, depth: number, convert: (item: unknown) => unknown): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (item == null) continue;
    if (depth > 1) eachItem(item, depth - 1, convert);
    else list[i] = convert(item);
  }
}

/**
 * The test, in generated code, that `x` is already what graphql-js writes for `entry` (the
 * common case: nothing to do).
 */
function writtenTest(entry: Entry, index: number): string {
  switch (entry.kind) {
    case Kind.ID:
    case Kind.String:
      return "typeof x === 'string'";
    case Kind.Boolean:
      return "typeof x === 'boolean'";
    case Kind.Int:
      return `(typeof x === 'number' && Number.isInteger(x) && x <= ${MAX_INT} && x >= ${MIN_INT})`;
    case Kind.Float:
      return "(typeof x === 'number' && Number.isFinite(x))";
    default:
      return entry.names ? `(typeof x === 'string' && names[${index}].has(x))` : 'false';
  }
}

/**
 * A function serializing, in place, the leaf values of objects of `root` read from upstream.
 * Generates one function per object type, with the field names written in (a property read by a
 * name held in a variable is several times slower): 100 assets with 1-3 labels each take 4 µs.
 */
export function upstreamLeafSerializer(root: GraphQLObjectType): (value: Record<string, unknown>) => void {
  const plans = new Map<GraphQLObjectType, Entry[]>();
  planFor(root, plans);
  const types = [...plans.keys()];
  const leaves: GraphQLLeafType[] = [];
  const names: Array<ReadonlySet<string> | null> = [];
  const functions = types.map((type, t) => {
    const lines: string[] = [];
    for (const entry of plans.get(type) as Entry[]) {
      const key = JSON.stringify(entry.name);
      // `x` holds the value (never null here); `convert` is the statement that makes it what
      // graphql-js writes, in place for an object.
      let convert: (target: string) => string;
      if (entry.kind === Kind.Object) {
        const visit = `visit${types.indexOf(entry.object as GraphQLObjectType)}`;
        convert = () => `if (typeof x === 'object' && !(x instanceof Error)) ${visit}(x);`;
      } else {
        const index = leaves.push(entry.leaf as GraphQLLeafType) - 1;
        names.push(entry.names);
        convert = (target) => `if (!(${writtenTest(entry, index)})) ${target} = serialize(leaves[${index}], x);`;
      }
      if (entry.listDepth === 0) {
        lines.push(`{ const x = o[${key}]; if (x != null) { ${convert(`o[${key}]`)} } }`);
      } else {
        // Lists: every item, at any depth (graphql-js reports a list field's non-list value itself).
        lines.push(`{ const list = o[${key}]; if (list != null) eachItem(list, ${entry.listDepth}, (x) => { let out = x; ${convert('out')} return out; }); }`);
      }
    }
    return `function visit${t}(o) {\n${lines.join('\n')}\n}`;
  });
  const factory = new Function('leaves', 'names', 'serialize', 'eachItem', `${functions.join('\n')}\nreturn visit0;`) as (
    leaves: GraphQLLeafType[],
    names: Array<ReadonlySet<string> | null>,
    serialize: typeof serializeLeaf,
    each: typeof eachItem,
  ) => (value: Record<string, unknown>) => void;
  return factory(leaves, names, serializeLeaf, eachItem);
}
