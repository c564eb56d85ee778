import { describe, expect, it } from 'vitest';
import { findPlaceholders, placeholderProblems, substitute } from '../../src/upsert-pipeline/placeholders.ts';

const problemsFor = (text: string, values: Record<string, unknown>) =>
  placeholderProblems(findPlaceholders(text), values).map(({ use, message }) => `${use.line}:${use.column} ${message}`);

describe('placeholders', () => {
  it('finds each use with its position and whether it is a whole value', () => {
    const text = '{\n  "Count": "<<COUNT>>",\n  "Uri": "s3://<<BUCKET>>/in",\n  "<<KEY>>": "x"\n}';
    expect(findPlaceholders(text)).toEqual([
      { name: 'COUNT', line: 2, column: 13, whole: true },
      { name: 'BUCKET', line: 3, column: 16, whole: false },
      { name: 'KEY', line: 4, column: 4, whole: false },
    ]);
  });

  const cases: [string, string, Record<string, unknown>, string[]][] = [
    ['a value given', '"<<A>>"', { A: 'x' }, []],
    ['no value', '"<<A>>"', {}, ['1:2 placeholder <<A>> has no value; give it in substitutions or substitutions-file']],
    [
      'a name of an object built-in is no value',
      '"<<constructor>>" "<<toString>>"',
      {},
      [
        '1:2 placeholder <<constructor>> has no value; give it in substitutions or substitutions-file',
        '1:20 placeholder <<toString>> has no value; give it in substitutions or substitutions-file',
      ],
    ],
    [
      'an empty YAML value',
      '"s3://<<BUCKET>>/x"',
      { BUCKET: null },
      ['1:7 placeholder <<BUCKET>> is given an empty value; give it a value'],
    ],
    ['a mapping as a whole value', '"<<CONFIG>>"', { CONFIG: { a: 1 } }, []],
    [
      'a mapping inside a longer string',
      '"x-<<CONFIG>>"',
      { CONFIG: { a: 1 } },
      [
        '1:4 placeholder <<CONFIG>> is part of a longer string or a key, so its value must be a string, number or boolean',
      ],
    ],
    [
      'a mapping as a key',
      '{"<<K>>": 1}',
      { K: [1] },
      ['1:3 placeholder <<K>> is part of a longer string or a key, so its value must be a string, number or boolean'],
    ],
  ];
  for (const [what, text, values, expected] of cases) {
    it(what, () => expect(problemsFor(text, values)).toEqual(expected));
  }

  it('substitutes in values and keys, keeping whole values typed', () => {
    const definition = { Count: '<<COUNT>>', Uri: 's3://<<BUCKET>>/in', Env: { '<<KEY>>': '<<BUCKET>>' } };
    expect(substitute(definition, { COUNT: 2, BUCKET: 'ml-dev', KEY: 'DATA_BUCKET' })).toEqual({
      Count: 2,
      Uri: 's3://ml-dev/in',
      Env: { DATA_BUCKET: 'ml-dev' },
    });
  });

  it('never takes a value from the prototype, and "__proto__" stays a name', () => {
    const values = JSON.parse('{"__proto__": "polluted"}') as Record<string, unknown>;
    expect(substitute({ A: '<<__proto__>>', B: '<<toString>>' }, values)).toEqual({ A: 'polluted', B: '<<toString>>' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses keys that become equal once filled in', () => {
    expect(() => substitute({ '<<A>>': 1, '<<B>>': 2 }, { A: 'same', B: 'same' })).toThrow(
      'two keys become "same" once the placeholders are filled in',
    );
  });
});
