/**
 * Internal, pure. Parser of `labelCategorySearch` (reference §7.6), run before any upstream call
 * so that a typo is a `BAD_USER_INPUT` with the 1-based position of the problem.
 *
 *   query     := orExpr
 *   orExpr    := andExpr ( "OR" andExpr )*
 *   andExpr   := atom ( "AND" atom )*
 *   atom      := condition | "(" orExpr ")"
 *   condition := WORD "." WORD "." "count" OP NUMBER
 *   WORD      := [A-Za-z][A-Za-z0-9_\-*]*      OP := ">=" | "<=" | ">" | "<" | "=="
 */

export interface CategorySearchError {
  /** 1-based character position in the query. */
  position: number;
  message: string;
}

type Token = { kind: 'word' | 'number' | 'op' | 'dot' | 'lparen' | 'rparen' | 'end'; text: string; position: number };

const TOKEN = /\s*(?:([A-Za-z][A-Za-z0-9_\-*]*)|([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(>=|<=|==|>|<)|(\.)|(\()|(\)))/y;

function tokenize(query: string): Token[] | CategorySearchError {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    if (/^\s*$/.test(query.slice(index))) break;
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(query);
    if (!match) {
      const position = index + (query.slice(index).length - query.slice(index).trimStart().length) + 1;
      return { position, message: `unexpected character ${JSON.stringify(query[position - 1])}` };
    }
    const text = match[0].trimStart();
    const position = match.index + match[0].length - text.length + 1;
    const kind = match[1] ? 'word' : match[2] ? 'number' : match[3] ? 'op' : match[4] ? 'dot' : match[5] ? 'lparen' : 'rparen';
    tokens.push({ kind, text, position });
    index = TOKEN.lastIndex;
  }
  tokens.push({ kind: 'end', text: '', position: query.length + 1 });
  return tokens;
}

class ParseFailure extends Error {
  constructor(readonly detail: CategorySearchError) {
    super(detail.message);
  }
}

/** null when `query` is valid, else where and why it is not. Pure, never throws. */
export function checkCategorySearch(query: string): CategorySearchError | null {
  const tokens = tokenize(query);
  if (!Array.isArray(tokens)) return tokens;
  let i = 0;
  const peek = () => tokens[i]!;
  const describe = (t: Token) => (t.kind === 'end' ? 'end of query' : JSON.stringify(t.text));
  const expect = (ok: (t: Token) => boolean, what: string): Token => {
    const token = peek();
    if (!ok(token)) throw new ParseFailure({ position: token.position, message: `expected ${what}, found ${describe(token)}` });
    i++;
    return token;
  };
  const isWord = (t: Token) => t.kind === 'word' && t.text !== 'AND' && t.text !== 'OR';

  const condition = () => {
    expect(isWord, 'a job name');
    expect((t) => t.kind === 'dot', '"."');
    expect(isWord, 'a category name');
    expect((t) => t.kind === 'dot', '"."');
    expect((t) => t.kind === 'word' && t.text === 'count', '"count"');
    expect((t) => t.kind === 'op', 'one of ==, >=, <=, >, <');
    expect((t) => t.kind === 'number', 'a number');
  };
  const atom = (): void => {
    if (peek().kind === 'lparen') {
      i++;
      orExpr();
      expect((t) => t.kind === 'rparen', '")"');
    } else {
      condition();
    }
  };
  const andExpr = () => {
    atom();
    while (peek().kind === 'word' && peek().text === 'AND') {
      i++;
      atom();
    }
  };
  const orExpr = (): void => {
    andExpr();
    while (peek().kind === 'word' && peek().text === 'OR') {
      i++;
      andExpr();
    }
  };

  try {
    orExpr();
    expect((t) => t.kind === 'end', 'AND, OR or end of query');
    return null;
  } catch (error) {
    if (error instanceof ParseFailure) return error.detail;
    throw error;
  }
}
