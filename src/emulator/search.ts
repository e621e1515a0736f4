/**
 * Emulator internals: `label.search`, the category-count query language of reference §7.6:
 *   JOB.CATEGORY.count OP NUMBER, combined with AND (binds tighter) / OR and parentheses.
 * `JOB.CATEGORY.count` is evaluated on one label's jsonResponse: the number of classification
 * entries `jsonResponse[JOB].categories[*]` named CATEGORY, plus the number of annotations in
 * `jsonResponse[JOB].annotations[*]` that carry CATEGORY among their `categories`.
 */
import { isRecord } from './util.js';

type Op = '>=' | '<=' | '>' | '<' | '==';
export type SearchNode =
  | { kind: 'cond'; job: string; category: string; op: Op; value: number }
  | { kind: 'and' | 'or'; left: SearchNode; right: SearchNode };

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
  const atom = (): SearchNode => {
    if (peek()?.t === 'paren' && peek()?.v === '(') {
      i++;
      const inner = orExpr();
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
    let left = atom();
    while (isWord('AND')) {
      i++;
      left = { kind: 'and', left, right: atom() };
    }
    return left;
  };
  const orExpr = (): SearchNode => {
    let left = andExpr();
    while (isWord('OR')) {
      i++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
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
      return evaluateSearch(node.left, response) && evaluateSearch(node.right, response);
    case 'or':
      return evaluateSearch(node.left, response) || evaluateSearch(node.right, response);
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
