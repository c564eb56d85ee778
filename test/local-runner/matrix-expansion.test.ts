/** The matrix rules on plain values: expansion, include/exclude, strategy defaults, leg names, merged results. */
import { describe, expect, it } from 'vitest';
import {
  defaultLegName,
  expandMatrix,
  legsResult,
  MAX_COMBINATIONS,
  mergeLegOutputs,
  readStrategy,
  strategyContext,
  type Combination,
} from '../../local-runner/matrix.ts';
import type { JobStatus } from '../../local-runner/types.ts';

describe('matrix expansion', () => {
  const cases: [string, unknown, Combination[]][] = [
    [
      'the product of two vectors, the first key outermost',
      { os: ['linux', 'windows'], node: [20, 22] },
      [
        { os: 'linux', node: 20 },
        { os: 'linux', node: 22 },
        { os: 'windows', node: 20 },
        { os: 'windows', node: 22 },
      ],
    ],
    [
      'exclude removes every combination an entry partially matches',
      { os: ['linux', 'windows'], node: [20, 22], exclude: [{ os: 'windows' }, { os: 'linux', node: 22 }] },
      [{ os: 'linux', node: 20 }],
    ],
    [
      // The example of GitHub's documentation on expanding or adding matrix configurations.
      'include extends the combinations whose original values it keeps, and adds the entries that fit none',
      {
        fruit: ['apple', 'pear'],
        animal: ['cat', 'dog'],
        include: [
          { color: 'green' },
          { color: 'pink', animal: 'cat' },
          { fruit: 'apple', shape: 'circle' },
          { fruit: 'banana' },
          { fruit: 'banana', animal: 'cat' },
        ],
      },
      [
        { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
        { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
        { fruit: 'pear', animal: 'cat', color: 'pink' },
        { fruit: 'pear', animal: 'dog', color: 'green' },
        { fruit: 'banana' },
        { fruit: 'banana', animal: 'cat' },
      ],
    ],
    [
      'include alone: one combination per entry',
      { include: [{ pipeline: { name: 'training' } }, { pipeline: { name: 'inference' }, schedule: 'daily' }] },
      [{ pipeline: { name: 'training' } }, { pipeline: { name: 'inference' }, schedule: 'daily' }],
    ],
    [
      'values that are mappings are compared whole by exclude and include',
      {
        pipeline: [{ name: 'a' }, { name: 'b' }],
        exclude: [{ pipeline: { name: 'b' } }],
        include: [{ pipeline: { name: 'a' }, deploy: true }],
      },
      [{ pipeline: { name: 'a' }, deploy: true }],
    ],
    [
      'every combination excluded: the job runs once with an empty matrix',
      { os: ['linux'], exclude: [{ os: 'linux' }] },
      [{}],
    ],
  ];
  it.each(cases)('%s', (_, matrix, expected) => {
    expect(expandMatrix(matrix)).toEqual(expected);
  });

  const refused: [string, unknown, string][] = [
    ['an empty vector', { os: [] }, "Matrix vector 'os' does not contain any values"],
    ['no vector and an empty include', { include: [] }, 'Matrix must define at least one vector'],
    ['an empty mapping', {}, 'Matrix must define at least one vector'],
    ['a vector that is not a sequence', { os: 'linux' }, "Matrix vector 'os' must be a sequence, not 'linux'"],
    [
      'a sequence instead of a mapping',
      [{ os: 'linux' }],
      'strategy.matrix must be a mapping of vectors to values, not a sequence',
    ],
    [
      'an exclude key the matrix does not have',
      { os: ['linux'], exclude: [{ arch: 'arm64' }] },
      "Matrix exclude key 'arch' does not match any key within the matrix",
    ],
    ['an include entry that is not a mapping', { include: ['x'] }, "Matrix include entries must be mappings, not 'x'"],
  ];
  it.each(refused)('refuses %s as GitHub words it', (_, matrix, message) => {
    expect(() => expandMatrix(matrix)).toThrow(message);
  });

  it(`refuses more than ${MAX_COMBINATIONS} combinations`, () => {
    const values = Array.from({ length: 17 }, (_, index) => index);
    expect(() => expandMatrix({ a: values, b: values })).toThrow(/has 289 combinations; GitHub runs at most 256/);
    expect(expandMatrix({ a: values.slice(0, 16), b: values.slice(0, 16) })).toHaveLength(256);
  });
});

describe('strategy', () => {
  it('defaults to fail-fast and every leg at once, and gives each leg its strategy context', () => {
    const strategy = readStrategy({ matrix: { os: ['linux', 'windows', 'mac'] } });
    expect(strategy.failFast).toBe(true);
    expect(strategy.maxParallel).toBe(3);
    expect(strategyContext(strategy, 2)).toEqual({
      'fail-fast': true,
      'job-index': 2,
      'job-total': 3,
      'max-parallel': 3,
    });
  });

  it('reads fail-fast and max-parallel, also from an expression that gave strings', () => {
    expect(readStrategy({ matrix: { os: ['a', 'b'] }, 'fail-fast': false, 'max-parallel': 1 })).toMatchObject({
      failFast: false,
      maxParallel: 1,
    });
    expect(readStrategy({ matrix: { os: ['a'] }, 'fail-fast': 'false', 'max-parallel': '2' })).toMatchObject({
      failFast: false,
      maxParallel: 2,
    });
    expect(readStrategy({ 'fail-fast': false }).combinations).toEqual([{}]);
  });

  const refused: [unknown, string][] = [
    [
      { matrix: { os: ['a'] }, 'max-parallel': 0 },
      "strategy max-parallel must be a whole number of at least 1, not '0'",
    ],
    [{ matrix: { os: ['a'] }, 'fail-fast': 'yes' }, "strategy fail-fast must be true or false, not 'yes'"],
    [{ matrix: { os: ['a'] }, parallel: 2 }, "strategy has no key 'parallel'"],
    ['matrix', "strategy must be a mapping, not 'matrix'"],
  ];
  it.each(refused)('refuses %j', (strategy, message) => {
    expect(() => readStrategy(strategy)).toThrow(message);
  });
});

describe('leg names and merged results', () => {
  it('names a leg after its values as GitHub does, leaving out empty ones and printing numbers as expressions do', () => {
    expect(defaultLegName('build', { os: 'linux', go: 1.2, debug: true })).toBe('build (linux, 1.2, true)');
    expect(defaultLegName('promote', { pipeline: { name: 'training', file: 't.json' }, note: '' })).toBe(
      'promote (training, t.json)',
    );
    expect(defaultLegName('build', {})).toBe('build');
    expect(defaultLegName('build', { os: null })).toBe('build');
  });

  const results: [JobStatus[], JobStatus][] = [
    [['success', 'success'], 'success'],
    [['success', 'failure', 'cancelled'], 'failure'],
    [['success', 'cancelled'], 'cancelled'],
    [['skipped', 'skipped'], 'skipped'],
    [['skipped', 'success'], 'success'],
  ];
  it.each(results)('legs %j make %s', (legs, expected) => {
    expect(legsResult(legs)).toBe(expected);
  });

  it('takes each output from the last leg to finish that set it to something', () => {
    const merged = mergeLegOutputs(
      ['model', 'only-first', 'never'],
      [{ model: 'a', 'only-first': 'x' }, { model: 'b' }, { model: '' }],
    );
    expect(merged).toEqual({ model: 'b', 'only-first': 'x', never: '' });
  });
});
