import { describe, expect, it } from 'vitest';
import { firstDuplicateKey } from '../../src/runtime/json-duplicate-keys.ts';
import { parseJsonOrYaml } from '../../src/runtime/object-input.ts';

describe('firstDuplicateKey', () => {
  const cases: [string, string, ReturnType<typeof firstDuplicateKey>][] = [
    ['none', '{"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]}', undefined],
    ['at the top', '{"a": 1,\n "a": 2}', { key: 'a', line: 2, column: 2 }],
    ['nested', '{"s": [{"Name": "x", "Name": "y"}]}', { key: 'Name', line: 1, column: 22 }],
    ['escaped quotes in keys and values', '{"a\\"b": "\\"", "a\\"b": 1}', { key: 'a"b', line: 1, column: 16 }],
    ['equal after unescaping', '{"\\u0041": 1, "A": 2}', { key: 'A', line: 1, column: 15 }],
    ['a value that looks like a key', '{"a": "a", "b": "a"}', undefined],
  ];
  for (const [what, text, expected] of cases) {
    it(what, () => expect(firstDuplicateKey(text)).toEqual(expected));
  }

  it('makes JSON mappings refuse duplicates as YAML ones do', async () => {
    await expect(parseJsonOrYaml('{"Epochs": "1", "Epochs": "2"}')).rejects.toThrow(
      'key "Epochs" appears twice (line 1)',
    );
    await expect(parseJsonOrYaml('Epochs: 1\nEpochs: 2')).rejects.toThrow();
  });
});
