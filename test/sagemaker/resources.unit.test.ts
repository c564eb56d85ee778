/** SageMaker facts every action shares: ownership tags, what a model package serves, console links. */
import type { DescribeModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { githubContext } from '../../src/runtime/github-context.ts';
import { endpointLink, logGroupLink, sagemakerJobLink } from '../../src/sagemaker/console-links.ts';
import { inferenceImages, isApprovedAndReady, modelDataUrl } from '../../src/sagemaker/model-packages.ts';
import { isOwnershipTag, ownershipTags, pullRequestOf } from '../../src/sagemaker/ownership-tags.ts';

const context = (env: Record<string, string>) =>
  githubContext({ GITHUB_REPOSITORY: 'example-org/ml-pipelines', ...env });

describe('ownership tags', () => {
  it.each([
    ['refs/pull/7/merge', '7'],
    ['refs/pull/123/head', '123'],
    ['refs/heads/main', undefined],
    ['refs/heads/pull/7/x', undefined],
    ['refs/tags/v1.0.0', undefined],
  ])('the pull request of %s is %s', (ref, pullRequest) => {
    expect(pullRequestOf(context({ GITHUB_REF: ref }))).toBe(pullRequest);
  });

  it.each([
    [
      'a branch run',
      context({ GITHUB_REF: 'refs/heads/main' }),
      {},
      { 'mlops-actions:created-by': 'deploy-endpoint', 'mlops-actions:repository': 'example-org/ml-pipelines' },
    ],
    [
      'a pull request run, for an endpoint',
      context({ GITHUB_REF: 'refs/pull/7/merge' }),
      { 'mlops-actions:endpoint': 'abalone' },
      {
        'mlops-actions:created-by': 'deploy-endpoint',
        'mlops-actions:repository': 'example-org/ml-pipelines',
        'mlops-actions:pull-request': '7',
        'mlops-actions:endpoint': 'abalone',
      },
    ],
    ['outside a repository', githubContext({}), {}, { 'mlops-actions:created-by': 'deploy-endpoint' }],
  ])('%s', (_, run, extra, tags) => expect(ownershipTags('deploy-endpoint', run, extra)).toEqual(tags));

  it.each([
    ['mlops-actions:created-by', true],
    ['mlops-actions:tag-keys', true],
    ['team', false],
    ['aws:cloudformation:stack-name', false],
  ])('%s is ours: %s', (key, ours) => expect(isOwnershipTag(key)).toBe(ours));
});

describe('model packages', () => {
  const pkg = (fields: Partial<DescribeModelPackageCommandOutput>) => fields as DescribeModelPackageCommandOutput;
  it.each([
    ['Approved', 'Completed', true],
    ['Approved', 'InProgress', false],
    ['PendingManualApproval', 'Completed', false],
    ['Rejected', 'Completed', false],
  ] as const)('%s and %s: ready to deploy %s', (approval, status, ready) => {
    expect(isApprovedAndReady(pkg({ ModelApprovalStatus: approval, ModelPackageStatus: status }))).toBe(ready);
  });

  it('serves the images of its containers and the first model data it names', () => {
    const served = pkg({
      InferenceSpecification: {
        Containers: [
          { Image: 'img-a' },
          { Image: 'img-b', ModelDataUrl: 's3://models/b.tar.gz' },
          { Image: '', ModelDataUrl: 's3://models/c.tar.gz' },
        ],
      },
    } as Partial<DescribeModelPackageCommandOutput>);
    expect(inferenceImages(served)).toEqual(['img-a', 'img-b']);
    expect(modelDataUrl(served)).toBe('s3://models/b.tar.gz');
    expect(inferenceImages(pkg({}))).toEqual([]);
    expect(modelDataUrl(pkg({}))).toBe('');
  });
});

describe('console links', () => {
  it.each([
    [
      sagemakerJobLink('eu-west-1', 'Processing', 'pipelines-abc-Preprocess'),
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/processing-jobs/pipelines-abc-Preprocess',
    ],
    [
      sagemakerJobLink('eu-west-1', 'Transform', 'batch'),
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/transform-jobs/batch',
    ],
    [
      endpointLink('us-east-1', 'abalone-prod'),
      'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/abalone-prod',
    ],
    [
      logGroupLink('eu-west-1', '/aws/sagemaker/Endpoints/abalone'),
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Fsagemaker$252FEndpoints$252Fabalone',
    ],
  ])('%s', (link, expected) => expect(link).toBe(expected));
});
