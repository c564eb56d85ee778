import { describe, expect, it } from 'vitest';
import { excerpt, judge, parseJsonPath, type Answer, type Expectations } from '../../src/smoke-test-endpoint/check.ts';

describe('parseJsonPath', () => {
  const cases: [string, (string | number)[] | undefined][] = [
    ['$.predictions[0]', ['predictions', 0]],
    ['predictions[0].label', ['predictions', 0, 'label']],
    ['$', []],
    ["$['odd key'][2]", ['odd key', 2]],
    ['$.a.b-c', ['a', 'b-c']],
    ['predictions[x]', undefined],
    ['.predictions', undefined],
    ['a..b', undefined],
  ];
  it.each(cases)('%s', (path, steps) => expect(parseJsonPath(path)).toEqual(steps));
});

describe('judge', () => {
  const ok: Answer = { httpStatus: 200, body: '{"predictions": [{"label": "benign", "score": 0.91}]}' };
  const cases: [string, Answer, Expectations, string[]][] = [
    ['status only, passing', ok, { httpStatus: 200 }, []],
    ['a container error', { httpStatus: 500, body: 'boom' }, { httpStatus: 200 }, ['status 500, expected 200']],
    ['an expected 400 for a bad request', { httpStatus: 400, body: 'bad' }, { httpStatus: 400 }, []],
    ['a path that holds a value', ok, { httpStatus: 200, jsonPath: '$.predictions[0].score' }, []],
    ['a missing path', ok, { httpStatus: 200, jsonPath: '$.predictions[1]' }, ['$.predictions[1] is missing']],
    ['a null value', { httpStatus: 200, body: '{"p": null}' }, { httpStatus: 200, jsonPath: 'p' }, ['p is null']],
    ['a value as JSON', ok, { httpStatus: 200, jsonPath: 'predictions[0].score', jsonValue: '0.91' }, []],
    ['a value as text', ok, { httpStatus: 200, jsonPath: 'predictions[0].label', jsonValue: 'benign' }, []],
    [
      'a wrong value',
      ok,
      { httpStatus: 200, jsonPath: 'predictions[0].label', jsonValue: 'malignant' },
      ['predictions[0].label is "benign", expected malignant'],
    ],
    [
      'a body that is not JSON',
      { httpStatus: 200, body: '0.91' + '\n' },
      { httpStatus: 200, jsonPath: '$.score' },
      ['$.score is missing'],
    ],
    [
      'text that is not JSON at all',
      { httpStatus: 200, body: 'label=benign' },
      { httpStatus: 200, jsonPath: '$.label' },
      ['the body is not JSON, so $.label cannot be read'],
    ],
    ['a matching expression', ok, { httpStatus: 200, match: /"label":\s*"(benign|malignant)"/ }, []],
    ['a failed expression', ok, { httpStatus: 200, match: /error/ }, ['the body does not match /error/']],
    [
      'every failure is listed',
      { httpStatus: 503, body: 'down' },
      { httpStatus: 200, match: /ok/ },
      ['status 503, expected 200', 'the body does not match /ok/'],
    ],
  ];
  it.each(cases)('%s', (_, answer, expected, problems) => {
    const verdict = judge(answer, expected);
    expect(verdict.problems).toEqual(problems);
    expect(verdict.passed).toBe(problems.length === 0);
  });
});

describe('excerpt', () => {
  it('keeps short bodies on one line and cuts long ones, saying how long they were', () => {
    expect(excerpt('{\n  "a": 1\n}')).toBe('{ "a": 1 }');
    expect(excerpt('x'.repeat(600), 10)).toBe('xxxxxxxxxx… (600 characters)');
  });
});
