import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { promotionChains, promotionProblems, promotionSource } from '../../src/domain/promotionChain';
import type { ChainLink, ChainProblem } from '../../src/domain/promotionChain';

const web = 'reg.azurecr.io/contoso/web';

/** Targets following contoso/web, each `name>next` promoting to `next`. */
function links(...specs: string[]): ChainLink[] {
  return specs.map((spec) => {
    const [name = '', promotesTo] = spec.split('>');
    return { name, repository: web, ...(promotesTo === undefined ? {} : { promotesTo }) };
  });
}

describe('checking promotion chains', () => {
  const rows: { rule: string; links: ChainLink[]; problems: ChainProblem[] }[] = [
    { rule: 'targets that promote nowhere are fine', links: links('dev', 'prod'), problems: [] },
    { rule: 'a chain of three is fine', links: links('dev>staging', 'staging>prod', 'prod'), problems: [] },
    {
      rule: 'a target named before the one it promotes to is fine',
      links: links('prod', 'staging>prod'),
      problems: [],
    },
    {
      rule: 'a name that is no target is refused',
      links: links('staging>prdo', 'prod'),
      problems: [{ index: 0, message: '"prdo" is not a target' }],
    },
    {
      rule: 'a target promoting to itself is refused once, as such',
      links: links('prod>prod'),
      problems: [{ index: 0, message: '"prod" promotes to itself' }],
    },
    {
      rule: 'two targets promoting to each other are a circle, named once',
      links: links('staging>prod', 'prod>staging'),
      problems: [
        { index: 0, message: 'the promotion chain staging → prod → staging goes round in a circle' },
      ],
    },
    {
      rule: 'a circle of three is named with every target on it',
      links: links('dev', 'a>b', 'b>c', 'c>a'),
      problems: [{ index: 1, message: 'the promotion chain a → b → c → a goes round in a circle' }],
    },
    {
      rule: 'a chain leading into a circle names the circle, and the second way into it',
      links: links('dev>a', 'a>b', 'b>a'),
      problems: [
        {
          index: 2,
          message: '"a" is promoted to from "dev" already; a target takes its images from one target only',
        },
        { index: 1, message: 'the promotion chain a → b → a goes round in a circle' },
      ],
    },
    {
      rule: 'a second target promoting to the same target is refused',
      links: links('staging-eu>prod', 'staging-us>prod', 'prod'),
      problems: [
        {
          index: 1,
          message:
            '"prod" is promoted to from "staging-eu" already; a target takes its images from one target only',
        },
      ],
    },
    {
      rule: 'a target of another repository is refused: the same image could not reach it',
      links: [
        { name: 'staging', repository: web, promotesTo: 'prod' },
        { name: 'prod', repository: 'prodreg.azurecr.io/contoso/web' },
      ],
      problems: [
        {
          index: 0,
          message: `"prod" follows prodreg.azurecr.io/contoso/web, not ${web}: a promotion releases the same image, so both must follow one repository`,
        },
      ],
    },
  ];
  for (const row of rows)
    it(row.rule, () => {
      assert.deepEqual(promotionProblems(row.links), row.problems);
    });
});

describe('reading promotion chains', () => {
  it('lists each chain from its first target, and a lone target as a chain of its own', () => {
    assert.deepEqual(promotionChains(links('prod', 'api', 'staging>prod', 'dev>staging')), [
      ['api'],
      ['dev', 'staging', 'prod'],
    ]);
  });

  it('names the one target a target takes its images from, and none for a first target', () => {
    const chain = links('dev>staging', 'staging>prod', 'prod');
    assert.equal(promotionSource(chain, 'prod'), 'staging');
    assert.equal(promotionSource(chain, 'staging'), 'dev');
    assert.equal(promotionSource(chain, 'dev'), undefined);
  });
});
