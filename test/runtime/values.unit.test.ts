/** Small deciders every action shares: one spelling per JSON value, durations, the run's identity, YAML positions. */
import { describe, expect, it } from 'vitest';
import { canonicalJson, sameJson, sha256Hex } from '../../src/runtime/canonical-json.ts';
import { clockScale, formatElapsed } from '../../src/runtime/clock.ts';
import { githubContext, runUrl } from '../../src/runtime/github-context.ts';
import { jsonErrorPosition, parseYamlText } from '../../src/runtime/yaml-mapping.ts';

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    [{ z: { y: 1, x: 2 } }, '{"z":{"x":2,"y":1}}'],
    [{ gone: undefined, kept: 0 }, '{"kept":0}'],
    [[{ b: 1, a: 2 }], '[{"a":2,"b":1}]'],
    ['text', '"text"'],
    [null, 'null'],
  ])('%j → %s', (value, text) => expect(canonicalJson(value)).toBe(text));

  it('compares values, not their formatting or key order', () => {
    expect(sameJson(JSON.parse('{"Version": "1", "Steps": []}'), { Steps: [], Version: '1' })).toBe(true);
    expect(sameJson({ Steps: [1, 2] }, { Steps: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
  });

  it('hashes text as sha256 hex', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('formatElapsed', () => {
  it.each([
    [0, '0s'],
    [1_499, '1s'],
    [59_000, '59s'],
    [60_000, '1m 00s'],
    [125_000, '2m 05s'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h 00m'],
    [7_380_000, '2h 03m'],
  ])('%i ms: %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));
});

describe('clockScale', () => {
  it.each([
    [{}, 1],
    [{ MLOPS_ACTIONS_CLOCK_SCALE: '600' }, 600],
    [{ MLOPS_ACTIONS_CLOCK_SCALE: '0.5' }, 1],
    [{ MLOPS_ACTIONS_CLOCK_SCALE: 'fast' }, 1],
    [{ MLOPS_ACTIONS_CLOCK_SCALE: 'Infinity' }, 1],
  ])('%j: %d', (env, scale) => expect(clockScale(env)).toBe(scale));
});

describe('the run', () => {
  it('reads the GITHUB_* variables, with the runner’s defaults for those it may leave out', () => {
    expect(githubContext({})).toEqual({
      repository: '',
      workflow: '',
      ref: '',
      sha: '',
      actor: '',
      runId: '',
      runAttempt: '1',
      serverUrl: 'https://github.com',
      job: '',
    });
  });

  it.each([
    [
      { GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '3' },
      'https://github.com/o/r/actions/runs/42/attempts/3',
    ],
    [{ GITHUB_REPOSITORY: 'o/r' }, undefined],
    [{ GITHUB_RUN_ID: '42' }, undefined],
  ])('links %j to %s', (env, url) => expect(runUrl(githubContext(env))).toBe(url));
});

describe('YAML', () => {
  it('parses mappings written as YAML', () => {
    expect(parseYamlText('team: ml\ncost-center: "42"\n')).toEqual({ team: 'ml', 'cost-center': '42' });
  });

  it.each([
    // Where the missing comma belongs.
    ['{\n  "a": 1\n  "b": 2\n}', { line: 2, column: 8 }],
    ['{"a": [1, 2}', { line: 1, column: 12 }],
    ['{"a": 1}', undefined],
  ])('finds where JSON breaks in %j', (text, position) => expect(jsonErrorPosition(text)).toEqual(position));
});
