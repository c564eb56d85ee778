import { describe, expect, it } from 'vitest';
import { awsProblem, checkAwsValue, checkSageMakerTags, type AwsValue } from '../../src/runtime/aws-constraints.ts';

describe('AWS constraints for the actions', () => {
  const table: [AwsValue, string | number, unknown][] = [
    ['pipelineName', 'abalone-train', undefined],
    // Pattern-clean but too long: what hand-written patterns without AWS's length let through.
    ['pipelineName', `${'a-'.repeat(149)}ab`, 'is 300 characters; SageMaker CreatePipeline PipelineName takes 1-256'],
    [
      'pipelineName',
      'abalone_train',
      "does not match SageMaker CreatePipeline PipelineName's pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}",
    ],
    ['pipelineNameOrArn', 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone', undefined],
    ['executionDisplayName', 'd'.repeat(82), undefined],
    [
      'executionDisplayName',
      'd'.repeat(83),
      'is 83 characters; SageMaker StartPipelineExecution PipelineExecutionDisplayName takes 1-82',
    ],
    ['endpointName', 'abalone-prod', undefined],
    ['modelName', 'abalone-v3-0123abcd', undefined],
    ['instanceType', 'ml.m5.large', undefined],
    [
      'instanceCount',
      0,
      'is below 1, the least SageMaker CreateEndpointConfig ProductionVariants[].InitialInstanceCount takes',
    ],
    ['ecrRepositoryName', 'ml/abalone__train', undefined],
    [
      'ecrRepositoryName',
      'ML/abalone',
      expect.stringContaining("does not match ECR CreateRepository repositoryName's pattern"),
    ],
    // \p{L} needs the u flag: letters of any script are letters.
    ['sagemakerTagKey', 'équipe', undefined],
    ['sagemakerTagValue', 'v'.repeat(257), 'is 257 characters; SageMaker AddTags Tags[].Value takes 0-256'],
    ['modelPackageArn', 'arn:aws:sagemaker:eu-west-1:333333333333:model-package/abalone/3', undefined],
    [
      'modelPackageArn',
      'abalone/3',
      expect.stringContaining("does not match SageMaker UpdateModelPackage ModelPackageArn's pattern arn:aws"),
    ],
    [
      'approvalDescription',
      'r'.repeat(1025),
      'is 1025 characters; SageMaker UpdateModelPackage ApprovalDescription takes 0-1024',
    ],
  ];

  it.each(table)('%s %s', (kind, value, problem) => {
    expect(awsProblem(kind, value)).toEqual(problem);
  });

  it('refuses in one line naming the input, quoting a long value by its start', () => {
    expect(() => checkAwsValue('pipeline-name', 'pipelineName', 'p'.repeat(300))).toThrow(
      `input 'pipeline-name': '${'p'.repeat(60)}…' is 300 characters; SageMaker CreatePipeline PipelineName takes 1-256`,
    );
    expect(() => checkSageMakerTags('tags', { 'aws:owner': 'me' })).toThrow(
      "input 'tags': tag key 'aws:owner' uses the aws: prefix, which AWS keeps for itself",
    );
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(() => checkSageMakerTags('tags', many)).toThrow(
      "input 'tags': has 51 entries; SageMaker AddTags Tags takes at most 50",
    );
  });

  describe('the one tag rule', () => {
    const tags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
    const OWN = ['mlops-actions:created-by', 'mlops-actions:repository'];
    const cases: [string, Record<string, string>, readonly string[], string | undefined][] = [
      ["48 of the user's and 2 of the action's own: 50", tags(48), OWN, undefined],
      [
        "49 and 2 of the action's own: over",
        tags(49),
        OWN,
        "has 51 entries; SageMaker AddTags Tags takes at most 50 (2 of them the action's own)",
      ],
      ['an own key the user also set counts once', { ...tags(48), 'mlops-actions:created-by': 'x' }, OWN, undefined],
      ['aws: in another case', { 'AWS:Owner': 'me' }, [], "tag key 'AWS:Owner' uses the aws: prefix"],
      ['an empty key', { '': 'x' }, [], "tag key '' is 0 characters"],
      ['a value over 256', { team: 'v'.repeat(257) }, [], "the value of tag 'team', "],
    ];
    for (const [what, given, own, message] of cases) {
      it(what, () => {
        const check = () => checkSageMakerTags('tags', given, own);
        if (message === undefined) expect(check()).toEqual(given);
        else expect(check).toThrow(message);
      });
    }
  });
});
