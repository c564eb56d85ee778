/** What upsert-pipeline would change, decided from the pipeline SageMaker has and the one the inputs describe. */
import { describe, expect, it } from 'vitest';
import type { PipelineDefinition, PipelineStep } from '../../src/sagemaker/pipeline-definition.ts';
import type { DesiredPipeline } from '../../src/upsert-pipeline/inputs.ts';
import {
  describePlan,
  parseStoredDefinition,
  planChanges,
  type CurrentPipeline,
  type Plan,
} from '../../src/upsert-pipeline/plan.ts';

const ROLE = 'arn:aws:iam::111111111111:role/sagemaker-pipelines';
const step = (Name: string, Arguments: unknown = {}, Type = 'Training'): PipelineStep => ({ Name, Type, Arguments });
const condition = (Name: string, ifSteps: PipelineStep[], elseSteps: PipelineStep[] = []): PipelineStep =>
  step(Name, { Conditions: [], IfSteps: ifSteps, ElseSteps: elseSteps }, 'Condition');
const definition = (steps: PipelineStep[], extra: Partial<PipelineDefinition> = {}): PipelineDefinition => ({
  Version: '2020-12-01',
  Parameters: [{ Name: 'InstanceType', Type: 'String', DefaultValue: 'ml.m5.large' }],
  Steps: steps,
  ...extra,
});
const desired = (def: PipelineDefinition, settings: Partial<DesiredPipeline> = {}): DesiredPipeline => ({
  name: 'abalone',
  definition: def,
  definitionText: JSON.stringify(def),
  executionRoleArn: ROLE,
  tags: {},
  ...settings,
});
const current = (def: unknown, settings: Partial<CurrentPipeline> = {}): CurrentPipeline => ({
  arn: 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone',
  definition: def,
  executionRoleArn: ROLE,
  ...settings,
});

const BASE = definition([step('Preprocess', { a: 1 }, 'Processing'), step('Train', { epochs: 10 })]);

describe('planChanges', () => {
  const cases: [string, CurrentPipeline | undefined, DesiredPipeline, Partial<Plan>][] = [
    [
      'no pipeline yet: create with every step',
      undefined,
      desired(BASE),
      { action: 'create', stepsAdded: ['Preprocess', 'Train'], definitionChanged: true, settings: [] },
    ],
    [
      'the same definition with keys in another order: nothing to do',
      current(JSON.parse(JSON.stringify({ Steps: BASE.Steps, Parameters: BASE.Parameters, Version: BASE.Version }))),
      desired(BASE),
      { action: 'none', definitionChanged: false, stepsChanged: [], otherDefinitionChanges: false },
    ],
    [
      'a step added and one removed',
      current(definition([step('Preprocess', { a: 1 }, 'Processing'), step('Evaluate', {}, 'Processing')])),
      desired(BASE),
      { action: 'update', stepsAdded: ['Train'], stepsRemoved: ['Evaluate'], stepsChanged: [] },
    ],
    [
      "a step's arguments changed",
      current(definition([step('Preprocess', { a: 1 }, 'Processing'), step('Train', { epochs: 5 })])),
      desired(BASE),
      { action: 'update', stepsChanged: ['Train'], parametersChanged: false },
    ],
    [
      'only the parameters changed',
      current(definition(BASE.Steps, { Parameters: [{ Name: 'InstanceType', Type: 'String' }] })),
      desired(BASE),
      { action: 'update', parametersChanged: true, stepsChanged: [], otherDefinitionChanges: false },
    ],
    [
      'only another part of the definition changed',
      current(definition(BASE.Steps, { PipelineExperimentConfig: { ExperimentName: 'x' } })),
      desired(BASE),
      { action: 'update', otherDefinitionChanges: true, stepsChanged: [], parametersChanged: false },
    ],
    [
      'only the role changed',
      current(BASE, { executionRoleArn: `${ROLE}-old` }),
      desired(BASE),
      {
        action: 'update',
        definitionChanged: false,
        settings: [{ setting: 'role ARN', from: `${ROLE}-old`, to: ROLE }],
      },
    ],
    [
      'a setting left empty keeps what the pipeline has',
      current(BASE, { displayName: 'Abalone', description: 'nightly', parallelism: 4 }),
      desired(BASE),
      { action: 'none', settings: [] },
    ],
    [
      'display name, description and parallelism set',
      current(BASE, { parallelism: 4 }),
      desired(BASE, { displayName: 'Abalone', description: 'nightly', parallelism: 2 }),
      {
        action: 'update',
        settings: [
          { setting: 'display name', from: '', to: 'Abalone' },
          { setting: 'description', from: '', to: 'nightly' },
          { setting: 'parallelism', from: '4', to: '2' },
        ],
      },
    ],
    [
      'a pipeline whose stored definition could not be read: every step is new',
      current(undefined),
      desired(BASE),
      { action: 'update', stepsAdded: ['Preprocess', 'Train'], definitionChanged: true },
    ],
  ];
  it.each(cases)('%s', (_, before, after, expected) => {
    expect(planChanges(before, after)).toMatchObject(expected);
  });

  it('reports a changed step inside a condition by its own name, not the condition', () => {
    const before = definition([condition('Check', [step('Register', { v: 1 }, 'RegisterModel')], [step('Stop')])]);
    const after = definition([condition('Check', [step('Register', { v: 2 }, 'RegisterModel')], [step('Stop')])]);
    expect(planChanges(current(before), desired(after))).toMatchObject({
      action: 'update',
      stepsChanged: ['Register'],
      stepsAdded: [],
      stepsRemoved: [],
    });
  });

  it('reports a condition whose branches gained a step as changed, and the step as added', () => {
    const before = definition([condition('Check', [step('Register', {}, 'RegisterModel')])]);
    const after = definition([condition('Check', [step('Register', {}, 'RegisterModel')], [step('Fail', {}, 'Fail')])]);
    expect(planChanges(current(before), desired(after))).toMatchObject({
      stepsChanged: ['Check'],
      stepsAdded: ['Fail'],
    });
  });
});

describe('describePlan', () => {
  const plan = (overrides: Partial<Plan>): Plan => ({
    action: 'update',
    stepsAdded: [],
    stepsRemoved: [],
    stepsChanged: [],
    parametersChanged: false,
    definitionChanged: true,
    otherDefinitionChanges: false,
    settings: [],
    ...overrides,
  });
  const cases: [string, Plan, string[]][] = [
    ['nothing to do', plan({ action: 'none', definitionChanged: false }), ['no change']],
    ['a create', plan({ action: 'create', stepsAdded: ['A', 'B'] }), ['create the pipeline with steps A, B']],
    [
      'an update of everything',
      plan({
        stepsAdded: ['C'],
        stepsRemoved: ['D'],
        stepsChanged: ['A', 'B'],
        parametersChanged: true,
        settings: [{ setting: 'parallelism', from: '4', to: '2' }],
      }),
      ['add steps: C', 'remove steps: D', 'change steps: A, B', 'change parameters', "parallelism: '4' → '2'"],
    ],
    [
      'another part of the definition',
      plan({ otherDefinitionChanges: true }),
      ['change other parts of the definition'],
    ],
  ];
  it.each(cases)('%s', (_, given, lines) => expect(describePlan(given)).toEqual(lines));
});

describe('parseStoredDefinition', () => {
  it.each([
    ['no definition', undefined, undefined],
    ['a JSON definition', '{"Version": "2020-12-01", "Steps": []}', { Version: '2020-12-01', Steps: [] }],
    ['text that is not JSON', '{"Version": ', undefined],
    ['JSON with a key twice', '{"Steps": [], "Steps": []}', undefined],
  ])('%s', (_, text, parsed) => expect(parseStoredDefinition(text)).toEqual(parsed));
});
