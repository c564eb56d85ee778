/**
 * EventBridge's event pattern language and target input transformation, as tables: each
 * pattern against a SageMaker pipeline status change event, and what a target is given.
 */
import { describe, expect, it } from 'vitest';
import { compilePattern, matches, PatternError } from '../../emulator/services/events/pattern.ts';
import { applyTemplate, selectPath, targetInput } from '../../emulator/services/events/transform.ts';

const PIPELINE = 'arn:aws:sagemaker:us-east-1:111111111111:pipeline/batch-inference';
const EXECUTION = `${PIPELINE}/execution/p4jn9xou8a8s`;

const event = {
  version: '0',
  id: '315c1398-40ff-a850-213b-158f73kd93ir',
  'detail-type': 'SageMaker Model Building Pipeline Execution Status Change',
  source: 'aws.sagemaker',
  account: '111111111111',
  time: '2026-03-15T16:10:11Z',
  region: 'us-east-1',
  resources: [PIPELINE, EXECUTION],
  detail: {
    pipelineExecutionDisplayName: 'nightly-2026-03-15',
    currentPipelineExecutionStatus: 'Failed',
    previousPipelineExecutionStatus: 'Executing',
    executionStartTime: '2026-03-15T16:03:13Z',
    executionEndTime: '2026-03-15T16:10:10Z',
    pipelineArn: PIPELINE,
    pipelineExecutionArn: EXECUTION,
    attempt: 3,
    tags: ['nightly', 'batch'],
    nothing: null,
    nested: { deep: { value: 'x' } },
  },
};

const p = (pattern: unknown) => JSON.stringify(pattern);

describe('event patterns', () => {
  const cases: [string, unknown, boolean][] = [
    ['source and detail-type as listed', { source: ['aws.sagemaker'], 'detail-type': [event['detail-type']] }, true],
    ['any value of a list', { source: ['aws.s3', 'aws.sagemaker'] }, true],
    ['a value not in the list', { source: ['aws.s3'] }, false],
    ['exact match is case-sensitive', { source: ['AWS.SAGEMAKER'] }, false],
    ['nested fields', { detail: { currentPipelineExecutionStatus: ['Failed'], pipelineArn: [PIPELINE] } }, true],
    ['nested fields, one wrong', { detail: { currentPipelineExecutionStatus: ['Failed'], pipelineArn: ['x'] } }, false],
    ['deeply nested', { detail: { nested: { deep: { value: ['x'] } } } }, true],
    ['a field the event lacks', { detail: { failureReason: ['x'] } }, false],
    ['an event array matches when one element does', { resources: [EXECUTION] }, true],
    ['an event array, no element matching', { detail: { tags: ['weekly'] } }, false],
    ['prefix', { detail: { pipelineExecutionDisplayName: [{ prefix: 'nightly-' }] } }, true],
    ['prefix, not matching', { detail: { pipelineExecutionDisplayName: [{ prefix: 'weekly-' }] } }, false],
    [
      'prefix ignoring case',
      { detail: { pipelineExecutionDisplayName: [{ prefix: { 'equals-ignore-case': 'NIGHTLY' } }] } },
      true,
    ],
    ['suffix', { detail: { pipelineArn: [{ suffix: '/batch-inference' }] } }, true],
    ['equals-ignore-case', { detail: { currentPipelineExecutionStatus: [{ 'equals-ignore-case': 'failed' }] } }, true],
    ['wildcard', { detail: { pipelineExecutionArn: [{ wildcard: '*:pipeline/batch-*/execution/*' }] } }, true],
    ['wildcard, not matching', { detail: { pipelineExecutionArn: [{ wildcard: '*:pipeline/train-*' }] } }, false],
    ['anything-but a value', { detail: { currentPipelineExecutionStatus: [{ 'anything-but': 'Succeeded' }] } }, true],
    ['anything-but the value', { detail: { currentPipelineExecutionStatus: [{ 'anything-but': 'Failed' }] } }, false],
    [
      'anything-but a list',
      { detail: { currentPipelineExecutionStatus: [{ 'anything-but': ['Succeeded', 'Stopped'] }] } },
      true,
    ],
    [
      'anything-but a prefix',
      { detail: { pipelineExecutionDisplayName: [{ 'anything-but': { prefix: 'nightly' } }] } },
      false,
    ],
    ['anything-but does not match a missing field', { detail: { failureReason: [{ 'anything-but': 'x' }] } }, false],
    ['exists: true on a present leaf', { detail: { executionEndTime: [{ exists: true }] } }, true],
    ['exists: true on a missing field', { detail: { failureReason: [{ exists: true }] } }, false],
    ['exists: false on a missing field', { detail: { failureReason: [{ exists: false }] } }, true],
    ['exists: false on a present field', { detail: { executionEndTime: [{ exists: false }] } }, false],
    ['exists: true is for leaves, not objects', { detail: { nested: [{ exists: true }] } }, false],
    ['numeric at least', { detail: { attempt: [{ numeric: ['>=', 3] }] } }, true],
    ['numeric range', { detail: { attempt: [{ numeric: ['>', 0, '<=', 2] }] } }, false],
    ['numeric equal', { detail: { attempt: [{ numeric: ['=', 3] }] } }, true],
    ['a number as an exact value', { detail: { attempt: [3] } }, true],
    ['null matches an explicit null', { detail: { nothing: [null] } }, true],
    ['null does not match a missing field', { detail: { missing: [null] } }, false],
    [
      '$or: either set of fields',
      { detail: { $or: [{ currentPipelineExecutionStatus: ['Stopped'] }, { attempt: [{ numeric: ['>', 2] }] }] } },
      true,
    ],
    [
      '$or: neither',
      { detail: { $or: [{ currentPipelineExecutionStatus: ['Stopped'] }, { attempt: [{ numeric: ['>', 5] }] }] } },
      false,
    ],
  ];
  it.each(cases)('%s', (_, pattern, expected) => {
    expect(matches(p(pattern), event)).toBe(expected);
  });

  it.each([
    ['not JSON', '{source:'],
    ['not an object', '["aws.sagemaker"]'],
    ['a bare value where a list belongs', p({ source: 'aws.sagemaker' })],
    ['an empty list', p({ source: [] })],
    ['an unknown matcher', p({ source: [{ sounds_like: 'x' }] })],
    ['a numeric operator that does not exist', p({ detail: { attempt: [{ numeric: ['>>', 1] }] } })],
    ['a numeric operand that is not a number', p({ detail: { attempt: [{ numeric: ['>', '1'] }] } })],
    ['exists with a string', p({ detail: { x: [{ exists: 'yes' }] } })],
    ['$or with one alternative', p({ $or: [{ source: ['x'] }] })],
  ])('refuses %s', (_, text) => {
    expect(() => compilePattern(text)).toThrow(PatternError);
    expect(() => compilePattern(text)).toThrow(/^Event pattern is not valid\. Reason: /);
  });
});

describe('target input', () => {
  const context = {
    ruleArn: 'arn:aws:events:us-east-1:111111111111:rule/retrain',
    ruleName: 'retrain',
    ingestionTime: '2026-03-15T16:10:12.000Z',
  };
  const paths = {
    status: '$.detail.currentPipelineExecutionStatus',
    arn: '$.resources[1]',
    attempt: '$.detail.attempt',
  };

  it.each([
    ['a plain text template takes the text', 'Execution <arn> is <status>', `Execution ${EXECUTION} is Failed`],
    ['a JSON template quotes an unquoted string', '{"status": <status>}', '{"status": "Failed"}'],
    ['a placeholder inside a JSON string takes the text', '{"text": "now <status>"}', '{"text": "now Failed"}'],
    ['a number stays a number', '{"attempt": <attempt>}', '{"attempt": 3}'],
    ['a JSON string template', '"Pipeline <status>"', '"Pipeline Failed"'],
    ['predefined variables', '{"rule": "<aws.events.rule-name>"}', '{"rule": "retrain"}'],
    ['a placeholder no path names is left as written', '{"x": <unmapped>}', '{"x": <unmapped>}'],
  ])('%s', (_, template, expected) => {
    expect(applyTemplate(template, paths, event, context)).toBe(expected);
  });

  it('a mapped path that selects nothing gives null, and the whole event can be embedded', () => {
    expect(applyTemplate('{"x": <gone>}', { gone: '$.detail.nope' }, event, context)).toBe('{"x": null}');
    const embedded = JSON.parse(applyTemplate('{"event": <aws.events.event>}', {}, event, context)) as {
      event: typeof event;
    };
    expect(embedded.event.detail.pipelineArn).toBe(PIPELINE);
  });

  it('JSONPath: dots, indexes and quoted names', () => {
    expect(selectPath(event, '$.detail.nested.deep.value')).toBe('x');
    expect(selectPath(event, '$.resources[0]')).toBe(PIPELINE);
    expect(selectPath(event, "$['detail-type']")).toBe(event['detail-type']);
    expect(selectPath(event, '$')).toBe(event);
  });

  it('Input is given as is, InputPath selects, and nothing given means the whole event', () => {
    expect(targetInput({ Input: '{"fixed":true}' }, event, context)).toBe('{"fixed":true}');
    expect(JSON.parse(targetInput({ InputPath: '$.detail' }, event, context))).toEqual(event.detail);
    expect(JSON.parse(targetInput({}, event, context))).toEqual(event);
  });
});
