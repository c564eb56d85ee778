/** Which tags upsert-pipeline sets and removes: only those it manages, never someone else's. */
import { describe, expect, it } from 'vitest';
import {
  decodeKeys,
  desiredTagSet,
  encodeKeys,
  MANAGED_KEYS_TAG,
  sharedNow,
  tagChanges,
  type TagChanges,
} from '../../src/upsert-pipeline/tags.ts';

const PR = 'mlops-actions:pull-request';

describe('the managed keys tag', () => {
  it.each([
    [['team'], 'team'],
    [['team', 'cost-center'], 'cost-center / team'],
    [['a/b', 'c'], 'a//b / c'],
  ])('%j is written as %s and read back', (keys, value) => {
    expect(encodeKeys([...keys])).toBe(value);
    expect(decodeKeys(value)).toEqual([...keys].sort());
  });

  it('reads no keys from an absent or empty tag', () => {
    expect(decodeKeys(undefined)).toEqual([]);
    expect(decodeKeys('')).toEqual([]);
  });

  it('is added to the tags given, and not when none are', () => {
    expect(desiredTagSet({ team: 'ml' })).toEqual({ team: 'ml', [MANAGED_KEYS_TAG]: 'team' });
    expect(desiredTagSet({})).toEqual({});
  });
});

describe('sharedNow', () => {
  it.each([
    ['created by this pull request', { [PR]: '7' }, '7', false],
    ['created by another pull request', { [PR]: '7' }, '8', true],
    ['created by a pull request, updated from a branch', { [PR]: '7' }, undefined, true],
    ['never a pull request’s', {}, '7', false],
  ])('%s: %s', (_, current, pullRequest, shared) => expect(sharedNow(current, pullRequest)).toBe(shared));
});

describe('tagChanges', () => {
  const cases: [string, Record<string, string>, Record<string, string>, string | undefined, TagChanges][] = [
    [
      'first tags on a pipeline',
      {},
      { team: 'ml' },
      undefined,
      { set: { team: 'ml', [MANAGED_KEYS_TAG]: 'team' }, remove: [] },
    ],
    ['nothing changed', { team: 'ml', [MANAGED_KEYS_TAG]: 'team' }, { team: 'ml' }, undefined, { set: {}, remove: [] }],
    [
      'a value changed, a managed tag dropped, someone else’s tag left alone',
      { team: 'ml', owner: 'x', [MANAGED_KEYS_TAG]: 'owner / team', 'added-by-hand': 'yes' },
      { team: 'forecasting' },
      undefined,
      { set: { team: 'forecasting', [MANAGED_KEYS_TAG]: 'team' }, remove: ['owner'] },
    ],
    [
      'every tag dropped: the managed keys tag goes too',
      { team: 'ml', [MANAGED_KEYS_TAG]: 'team' },
      {},
      undefined,
      { set: {}, remove: ['team', MANAGED_KEYS_TAG] },
    ],
    [
      'a managed key someone already removed is not removed again',
      { [MANAGED_KEYS_TAG]: 'team' },
      {},
      undefined,
      { set: {}, remove: [MANAGED_KEYS_TAG] },
    ],
    [
      'another pull request updates the pipeline: it is no longer the first one’s',
      { [PR]: '7' },
      {},
      '8',
      { set: {}, remove: [PR] },
    ],
    ['the same pull request updates it again', { [PR]: '7' }, {}, '7', { set: {}, remove: [] }],
  ];
  it.each(cases)('%s', (_, current, desired, pullRequest, changes) => {
    expect(tagChanges(current, desired, pullRequest)).toEqual(changes);
  });
});
