import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeInQueue } from '../../src/domain/targetQueue';

describe('a release among the running releases of its target', () => {
  const at = (id: string, second: number): { id: string; createdTime: string } => ({
    id,
    createdTime: new Date(Date.UTC(2026, 10, 23, 12, 0, second)).toISOString(),
  });

  const cases: {
    name: string;
    me: string;
    active: { id: string; createdTime: string }[];
    earlier: string[];
    later: string[];
  }[] = [
    { name: 'alone', me: 'b', active: [at('b', 5)], earlier: [], later: [] },
    { name: 'after one', me: 'b', active: [at('a', 1), at('b', 5)], earlier: ['a'], later: [] },
    { name: 'before one', me: 'a', active: [at('b', 5), at('a', 1)], earlier: [], later: ['b'] },
    {
      name: 'in the middle, oldest first either side',
      me: 'c',
      active: [at('e', 9), at('c', 5), at('a', 1), at('b', 2), at('d', 7)],
      earlier: ['a', 'b'],
      later: ['d', 'e'],
    },
    {
      name: 'created in the same millisecond: the id decides',
      me: 'y',
      active: [at('x', 3), at('y', 3)],
      earlier: ['x'],
      later: [],
    },
    {
      name: 'not listed yet: everything else came first',
      me: 'n',
      active: [at('a', 1), at('z', 9)],
      earlier: ['a', 'z'],
      later: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(placeInQueue(c.me, c.active), { earlier: c.earlier, later: c.later });
    });
  }

  it('gives every release of a pair the opposite answer, so exactly one of them goes on', () => {
    const active = [at('x', 3), at('y', 3)];
    const x = placeInQueue('x', active);
    const y = placeInQueue('y', active);
    assert.deepEqual([x.later, y.earlier], [['y'], ['x']]);
  });
});
