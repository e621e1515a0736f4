/**
 * Emulator internals: injected faults (`POST /__emulator/faults`). A fault applies to the GraphQL
 * requests containing its `rootField` (all when absent): only the `nth` matching one (1-based,
 * counted since the set was installed), or each matching one with probability `rate`.
 */
export type Fault = { rootField?: string; nth?: number; rate?: number } & (
  | { kind: 'latency'; ms: number; jitterMs?: number }
  | { kind: 'status'; status: 500 | 502 | 503 | 504; afterWrite?: boolean }
  | { kind: 'rateLimit'; retryAfterSeconds: number }
  | { kind: 'hang'; afterWrite?: boolean }
  | { kind: 'graphqlError'; message?: string }
  | { kind: 'dropWrites' }
  | { kind: 'consistencyDelay'; ms: number }
);

const STATUSES = [500, 502, 503, 504];

function check(ok: boolean, i: number, message: string): void {
  if (!ok) throw new TypeError(`faults[${i}]: ${message}`);
}

const isNum = (v: unknown, min = 0): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min;

/** Validates a fault list; throws TypeError naming the bad entry. */
export function parseFaults(input: unknown): Fault[] {
  if (!Array.isArray(input)) throw new TypeError('faults must be an array');
  return input.map((raw, i) => {
    check(typeof raw === 'object' && raw !== null, i, 'must be an object');
    const f = raw as Record<string, unknown>;
    check(f.rootField === undefined || typeof f.rootField === 'string', i, 'rootField must be a string');
    check(f.nth === undefined || (Number.isInteger(f.nth) && (f.nth as number) >= 1), i, 'nth must be an integer ≥ 1');
    check(f.rate === undefined || (isNum(f.rate) && f.rate <= 1), i, 'rate must be a number from 0 to 1');
    switch (f.kind) {
      case 'latency': check(isNum(f.ms) && (f.jitterMs === undefined || isNum(f.jitterMs)), i, 'latency needs ms (and optional jitterMs) ≥ 0'); break;
      case 'status': check(STATUSES.includes(f.status as number), i, 'status must be 500, 502, 503 or 504'); break;
      case 'rateLimit': check(isNum(f.retryAfterSeconds), i, 'rateLimit needs retryAfterSeconds ≥ 0'); break;
      case 'consistencyDelay': check(isNum(f.ms), i, 'consistencyDelay needs ms ≥ 0'); break;
      case 'hang': case 'graphqlError': case 'dropWrites': break;
      default: check(false, i, `unknown kind ${JSON.stringify(f.kind)}`);
    }
    return f as Fault;
  });
}

/** Short label for the request log, e.g. `status:503`, `hang:afterWrite`. */
export function faultLabel(f: Fault): string {
  switch (f.kind) {
    case 'latency': return `latency:${f.ms}`;
    case 'status': return `status:${f.status}${f.afterWrite ? ':afterWrite' : ''}`;
    case 'rateLimit': return `rateLimit:${f.retryAfterSeconds}`;
    case 'hang': return f.afterWrite ? 'hang:afterWrite' : 'hang';
    case 'graphqlError': return 'graphqlError';
    case 'dropWrites': return 'dropWrites';
    case 'consistencyDelay': return `consistencyDelay:${f.ms}`;
  }
}

export class FaultSet {
  private faults: Fault[] = [];
  private counters: number[] = [];

  set(faults: Fault[]): void {
    this.faults = faults;
    this.counters = faults.map(() => 0);
  }
  clear(): void {
    this.set([]);
  }
  list(): Fault[] {
    return this.faults;
  }
  /** The faults that apply to a request with these root fields (advances the nth counters). */
  pick(rootFields: readonly string[]): Fault[] {
    const picked: Fault[] = [];
    this.faults.forEach((f, i) => {
      if (f.rootField !== undefined && !rootFields.includes(f.rootField)) return;
      const n = ++this.counters[i]!;
      if (f.nth !== undefined ? n === f.nth : Math.random() < (f.rate ?? 1)) picked.push(f);
    });
    return picked;
  }
}
