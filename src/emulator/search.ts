/**
 * Emulator internals: `label.search`, the category-count query language of reference §7.6:
 *   JOB.CATEGORY.count OP NUMBER, combined with AND (binds tighter) / OR and parentheses.
 * `JOB.CATEGORY.count` is evaluated on one label's jsonResponse: the number of classification
 * entries `jsonResponse[JOB].categories[*]` named CATEGORY, plus the number of annotations in
 * `jsonResponse[JOB].annotations[*]` that carry CATEGORY among their `categories`.
 */
import { isRecord } from './util.js';

type Op = '>=' | '<=' | '>' | '<' | '==';
/** `and`/`or` hold all their operands, so the tree is only as deep as the query's parentheses. */
export type SearchNode =
  | { kind: 'cond'; job: string; category: string; op: Op; value: number }
  | { kind: 'and' | 'or'; items: SearchNode[] };

/**
 * Parenthesis nesting accepted; deeper queries are invalid. Parsing and evaluation recurse once
 * per level, so this keeps both far from the stack's end (the SDK's own pyparsing check recurses
 * too and fails long before the thousands of levels that would overflow here).
 */
export const MAX_SEARCH_DEPTH = 100;

const TOKEN = /\s*(?:(>=|<=|==|>|<)|([()])|(\.)|([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?![A-Za-z_*])|([A-Za-z][A-Za-z0-9_\-*]*))/y;

type Token = { t: 'op' | 'paren' | 'dot' | 'num' | 'word'; v: string };

function tokenize(query: string): Token[] | null {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < query.length) {
    if (/^\s*$/.test(query.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(query);
    if (!m) return null;
    pos = TOKEN.lastIndex;
    if (m[1]) tokens.push({ t: 'op', v: m[1] });
    else if (m[2]) tokens.push({ t: 'paren', v: m[2] });
    else if (m[3]) tokens.push({ t: 'dot', v: '.' });
    else if (m[4]) tokens.push({ t: 'num', v: m[4] });
    else tokens.push({ t: 'word', v: m[5]! });
  }
  return tokens;
}

/** Parses a search query; returns null when it does not follow the grammar. */
export function parseSearch(query: string): SearchNode | null {
  const tokens = tokenize(query);
  if (!tokens || tokens.length === 0) return null;
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const isWord = (v: string): boolean => peek()?.t === 'word' && peek()?.v === v;
  const expect = (t: Token['t']): Token => {
    const tok = tokens[i];
    if (!tok || tok.t !== t) throw new SyntaxError('unexpected token');
    i++;
    return tok;
  };
  let depth = 0;
  const atom = (): SearchNode => {
    if (peek()?.t === 'paren' && peek()?.v === '(') {
      i++;
      if (++depth > MAX_SEARCH_DEPTH) throw new SyntaxError('nested too deeply');
      const inner = orExpr();
      depth--;
      const close = expect('paren');
      if (close.v !== ')') throw new SyntaxError('expected )');
      return inner;
    }
    const job = expect('word').v;
    expect('dot');
    const category = expect('word').v;
    expect('dot');
    if (expect('word').v !== 'count') throw new SyntaxError('expected count');
    const op = expect('op').v as Op;
    const value = Number(expect('num').v);
    return { kind: 'cond', job, category, op, value };
  };
  const andExpr = (): SearchNode => {
    const items = [atom()];
    while (isWord('AND')) {
      i++;
      items.push(atom());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const orExpr = (): SearchNode => {
    const items = [andExpr()];
    while (isWord('OR')) {
      i++;
      items.push(andExpr());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  try {
    const node = orExpr();
    return i === tokens.length ? node : null;
  } catch {
    return null;
  }
}

function hasCategory(entry: unknown, category: string): boolean {
  if (!isRecord(entry) || !Array.isArray(entry.categories)) return false;
  return entry.categories.some((c) => isRecord(c) && c.name === category);
}

/** Number of objects of `category` in `job` of a parsed jsonResponse. */
export function categoryCount(response: unknown, job: string, category: string): number {
  if (!isRecord(response)) return 0;
  const j = response[job];
  if (!isRecord(j)) return 0;
  let n = 0;
  if (Array.isArray(j.categories)) n += j.categories.filter((c) => isRecord(c) && c.name === category).length;
  if (Array.isArray(j.annotations)) n += j.annotations.filter((a) => hasCategory(a, category)).length;
  return n;
}

export function evaluateSearch(node: SearchNode, response: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((item) => evaluateSearch(item, response));
    case 'or':
      return node.items.some((item) => evaluateSearch(item, response));
    case 'cond': {
      const n = categoryCount(response, node.job, node.category);
      switch (node.op) {
        case '>=': return n >= node.value;
        case '<=': return n <= node.value;
        case '>': return n > node.value;
        case '<': return n < node.value;
        case '==': return n === node.value;
      }
    }
  }
}

const compiled = new Map<string, SearchNode | null>();

/** Cached parse (used by the SQLite function `kili_search`). */
export function compileSearch(query: string): SearchNode | null {
  let node = compiled.get(query);
  if (node === undefined) {
    node = parseSearch(query);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(query, node);
  }
  return node;
}

/** SQLite scalar function body: 1 when the label's jsonResponse satisfies the query. */
export function searchMatches(query: string, jsonResponse: string): number {
  const node = compileSearch(query);
  if (!node) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(jsonResponse);
  } catch {
    parsed = {};
  }
  return evaluateSearch(node, parsed) ? 1 : 0;
}
