import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ParseResult, Problem } from '../../src/functions/payloads/parseResult';

/** A deep copy of `payload` with each dotted path set to its value, or removed when the value is undefined. */
export function edit(payload: unknown, changes: Record<string, unknown>): unknown {
  const copy = structuredClone(payload);
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const field = String(keys.pop());
    const parent = keys.reduce(
      (node, key) => node[key] as Record<string, unknown>,
      copy as Record<string, unknown>,
    );
    if (value === undefined) Reflect.deleteProperty(parent, field);
    else parent[field] = value;
  }
  return copy;
}

/** The problems of a refused payload; fails when it was accepted. */
export function problemsOf(result: ParseResult<unknown>): Problem[] {
  if (result.ok) assert.fail(`expected problems, got ${JSON.stringify(result.value)}`);
  return result.problems;
}

/** A payload a parser must refuse, and where its problems are. */
export interface Refusal {
  rule: string;
  payload: unknown;
  /** The path of every problem expected, in any order. */
  paths: string[];
  message?: RegExp;
}

/** One test per row: `parse` refuses the row's payload with exactly the problems it names. */
export function itRefuses(parse: (payload: unknown) => ParseResult<unknown>, rows: Refusal[]): void {
  for (const r of rows) {
    const where = r.paths.map((p) => p || 'the payload').join(', ');
    it(`refuses ${r.rule}, naming ${where}`, () => {
      const problems = problemsOf(parse(r.payload));
      assert.deepEqual(problems.map((p) => p.path).sort(), [...r.paths].sort(), JSON.stringify(problems));
      if (r.message) assert.match(problems[0]?.message ?? '', r.message);
    });
  }
}
