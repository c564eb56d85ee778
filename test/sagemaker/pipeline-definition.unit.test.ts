/** Pipeline definitions checked the way SageMaker checks them, with the line to annotate. */
import { describe, expect, it } from 'vitest';
import {
  allSteps,
  checkDefinition,
  declaredParameters,
  lineOf,
  parseJsonText,
  type DefinitionProblem,
  type PipelineStep,
} from '../../src/sagemaker/pipeline-definition.ts';

/** Pretty-printed, so each problem has a line of its own to point at. */
const text = (value: unknown) => JSON.stringify(value, null, 2);
const problemsOf = (value: unknown) => checkDefinition(value, text(value));

const TRAIN = { Name: 'Train', Type: 'Training', Arguments: { InstanceType: { Get: 'Parameters.InstanceType' } } };
const valid = {
  Version: '2020-12-01',
  Parameters: [{ Name: 'InstanceType', Type: 'String', DefaultValue: 'ml.m5.large' }],
  Steps: [
    { Name: 'Preprocess', Type: 'Processing', Arguments: {} },
    { ...TRAIN, DependsOn: ['Preprocess'] },
    {
      Name: 'Check',
      Type: 'Condition',
      Arguments: {
        Conditions: [{ LeftValue: { Get: 'Steps.Train.FinalMetricDataList[0].Value' } }],
        IfSteps: [{ Name: 'Register', Type: 'RegisterModel', Arguments: {} }],
        ElseSteps: [{ Name: 'Stop', Type: 'Fail', Arguments: {} }],
      },
    },
  ],
};

describe('checkDefinition', () => {
  it('takes a definition SageMaker takes', () => expect(problemsOf(valid)).toEqual([]));

  const cases: [string, unknown, DefinitionProblem[]][] = [
    ['not an object', [valid], [{ message: 'the definition must be a JSON object', line: 1 }]],
    [
      'no Version',
      { ...valid, Version: '' },
      [{ message: 'has no \'Version\' (SageMaker definitions start with "Version": "2020-12-01")', line: 1 }],
    ],
    [
      'Parameters not a list',
      { Version: '2020-12-01', Parameters: {}, Steps: [{ Name: 'A', Type: 'Fail' }] },
      [{ message: "'Parameters' must be a list", line: 3 }],
    ],
    [
      'a parameter without a name',
      { Version: '2020-12-01', Parameters: [{ Type: 'String' }], Steps: [{ Name: 'A', Type: 'Fail' }] },
      [{ message: 'a parameter has no Name', line: 3 }],
    ],
    [
      'a parameter declared twice, one of an unknown type',
      {
        Version: '2020-12-01',
        Parameters: [
          { Name: 'P', Type: 'String' },
          { Name: 'P', Type: 'Text' },
        ],
        Steps: [{ Name: 'A', Type: 'Fail' }],
      },
      [
        { message: "parameter 'P' is declared twice", line: 9 },
        { message: 'parameter \'P\' has type "Text"; use String, Integer, Float or Boolean', line: 5 },
      ],
    ],
    ['no steps', { Version: '2020-12-01', Steps: [] }, [{ message: "has no 'Steps' (a non-empty list)", line: 3 }]],
    [
      'a step without a name',
      { Version: '2020-12-01', Steps: [{ Type: 'Fail' }] },
      [{ message: 'a step has no Name', line: 3 }],
    ],
    [
      'a step name used twice, in a branch too',
      {
        Version: '2020-12-01',
        Steps: [
          { Name: 'A', Type: 'Fail' },
          { Name: 'C', Type: 'Condition', Arguments: { IfSteps: [{ Name: 'A', Type: 'Fail' }] } },
        ],
      },
      [{ message: "step name 'A' is used more than once; step names must be unique", line: 14 }],
    ],
    [
      'an unknown step type',
      { Version: '2020-12-01', Steps: [{ Name: 'A', Type: 'Notebook' }] },
      [{ message: 'step \'A\' has unknown type "Notebook"', line: 5 }],
    ],
    [
      'DependsOn not a list',
      { Version: '2020-12-01', Steps: [{ Name: 'A', Type: 'Fail', DependsOn: 'B' }] },
      [{ message: "step 'A': DependsOn must be a list of step names", line: 5 }],
    ],
    [
      'a dependency on a step that is not there',
      { Version: '2020-12-01', Steps: [{ Name: 'A', Type: 'Fail', DependsOn: ['Missing'] }] },
      [{ message: "step 'A' depends on 'Missing', which is not a step of this pipeline", line: 8 }],
    ],
    [
      'an undeclared parameter and an unknown step referred to',
      {
        Version: '2020-12-01',
        Steps: [
          { Name: 'A', Type: 'Training', Arguments: { X: { Get: 'Parameters.Nope' }, Y: { Get: 'Steps.Gone.Z' } } },
        ],
      },
      [
        { message: "uses parameter 'Nope', which is not declared in Parameters", line: 9 },
        { message: "refers to step 'Gone', which is not a step of this pipeline", line: 12 },
      ],
    ],
  ];
  it.each(cases)('%s', (_, value, problems) => expect(problemsOf(value)).toEqual(problems));
});

describe('parseJsonText', () => {
  it('parses JSON', () => expect(parseJsonText('{"a": [1]}')).toEqual({ value: { a: [1] } }));

  it('refuses a key that appears twice, at its line', () => {
    expect(parseJsonText('{\n  "a": 1,\n  "a": 2\n}')).toEqual({
      problem: { message: 'key "a" appears twice in one object (only the last would count)', line: 3, column: 3 },
    });
  });

  it("says where JSON breaks, in one line, without V8's quote of the text around it", () => {
    expect(parseJsonText('{\n  "a": 1,\n  "b": 2\n')).toEqual({
      problem: { message: "not valid JSON: Expected ',' or '}' after property value", line: 4, column: 1 },
    });
    // V8 gives no position for this one: the caller asks jsonErrorPosition.
    expect(parseJsonText('{\n  "a": 1,\n  "b": ,\n}')).toEqual({
      problem: { message: "not valid JSON: Unexpected token ','", line: undefined, column: undefined },
    });
  });
});

describe('lineOf', () => {
  const lines = '{\n  "Name": "A",\n  "Name": "B",\n  "Name": "A"\n}';
  it.each([
    [/"Name": "A"/, 0, 2],
    [/"Name": "A"/, 1, 4],
    [/"Name": "A"/, 2, undefined],
    [/"Name": "C"/, 0, undefined],
    [/"name": "b"/i, 0, 3],
  ])('%s, match %i: line %s', (pattern, nth, line) => expect(lineOf(lines, pattern, nth)).toBe(line));
});

describe('allSteps and declaredParameters', () => {
  it('finds the steps nested in conditions, in order', () => {
    expect(allSteps(valid.Steps as PipelineStep[]).map((step) => step.Name)).toEqual([
      'Preprocess',
      'Train',
      'Check',
      'Register',
      'Stop',
    ]);
  });

  it.each([
    ['a definition', text(valid), ['InstanceType']],
    ['one without parameters', text({ Version: '2020-12-01', Steps: [] }), []],
    ['parameters without names are skipped', text({ Parameters: [{ Type: 'String' }, { Name: 'N' }] }), ['N']],
    ['text that is not JSON', '{', []],
  ])('reads the parameters of %s', (_, definition, names) => {
    expect([...declaredParameters(definition).keys()]).toEqual(names);
  });
});
