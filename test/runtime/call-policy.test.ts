/**
 * The call policy every client of the factory gets (retries, "not found"), read through a real
 * SDK client whose transport is a fake at the bottom of its middleware stack: each answer goes
 * through the SDK's own deserializer, as a service's would. No emulator, no network, no waiting.
 */
import { CloudWatchLogsClient, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeEndpointCommand, DescribePipelineCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { HttpResponse } from '@smithy/protocol-http';
import { describe, expect, it } from 'vitest';
import { createClient, type ClientSettings } from '../../src/runtime/aws-client.ts';
import { describeError } from '../../src/runtime/errors.ts';
import { isNotFound, unlessNotFound } from '../../src/runtime/not-found.ts';

/** What the fake transport does on one try: answer with a status and body, or fail to connect. */
type Answer = { status: number; body?: string; headers?: Record<string, string> } | Error;

const ok: Answer = { status: 200, body: '{}' };
const json = (status: number, type: string, message: string): Answer => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify({ __type: type, message }),
});
const throttled = json(400, 'ThrottlingException', 'Rate exceeded');
const unavailable = json(503, 'ServiceUnavailable', 'Service is unavailable');
const reset = (): Error => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const unreachable = (): Error => Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' });

interface Fake<C> {
  client: C;
  tries: () => number;
  delays: number[];
}

/** A client from the factory whose every try takes the next answer (the last one repeats). */
function fakeClient<C extends { middlewareStack: unknown }>(
  Client: new (config: never) => C,
  answers: Answer[],
  settings: Partial<ClientSettings> = {},
): Fake<C> {
  const delays: number[] = [];
  const client = createClient(Client as never, {
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    ...settings,
    retry: { random: () => 0.999, sleep: async (ms) => void delays.push(ms), ...settings.retry },
  }) as C;
  let tries = 0;
  (client.middlewareStack as { add: (...args: unknown[]) => void }).add(
    () => async () => {
      const answer = answers[Math.min(tries++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return {
        response: new HttpResponse({
          statusCode: answer.status,
          headers: { 'content-type': 'application/x-amz-json-1.1', ...answer.headers },
          body: Buffer.from(answer.body ?? ''),
        }),
      };
    },
    { step: 'deserialize', priority: 'low', name: 'fakeTransport' },
  );
  return { client, tries: () => tries, delays };
}

const describePipeline = new DescribePipelineCommand({ PipelineName: 'abalone' });

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'answered';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('retries, as every client of the factory makes them', () => {
  it.each<[string, Answer[], Partial<ClientSettings>, string, number]>([
    ['throttled twice, then answered', [throttled, throttled, ok], {}, 'answered', 3],
    ['a 503 that lasts: five tries, not five times five', [unavailable], {}, 'ServiceUnavailable', 5],
    ['a dropped connection, then answered', [reset(), ok], {}, 'answered', 2],
    ['no answer at all (host unreachable), then answered', [unreachable(), ok], {}, 'answered', 2],
    ['a refusal: one try', [json(400, 'AccessDeniedException', 'not authorized')], {}, 'AccessDeniedException', 1],
    [
      'not found: one try',
      [json(400, 'ResourceNotFound', 'Pipeline abalone does not exist.')],
      {},
      'ResourceNotFound',
      1,
    ],
    ['maxAttempts sets the tries', [throttled], { maxAttempts: 2 }, 'ThrottlingException', 2],
    ['a client of its own policy', [throttled], { retry: { isRetryable: () => false } }, 'ThrottlingException', 1],
  ])('%s', async (_, answers, settings, expected, tries) => {
    const { client, tries: made } = fakeClient(SageMakerClient, answers, settings);
    expect(await outcome(client.send(describePipeline))).toBe(expected);
    expect(made()).toBe(tries);
  });

  it('spaces the tries by full-jitter backoff from 1 s, doubling, at most 20 s', async () => {
    const { client, delays } = fakeClient(SageMakerClient, [unavailable], { maxAttempts: 7 });
    await outcome(client.send(describePipeline));
    expect(delays).toEqual([999, 1998, 3996, 7992, 15_984, 19_980]);
  });

  it('says each retry where the policy asks to, and the error still names the operation', async () => {
    const said: string[] = [];
    const { client } = fakeClient(SageMakerClient, [throttled], {
      maxAttempts: 2,
      retry: { onRetry: (error, attempt) => said.push(`${attempt}: ${(error as Error).name}`) },
    });
    const error = await client.send(describePipeline).catch((caught: unknown) => caught);
    expect(said).toEqual(['1: ThrottlingException']);
    expect((error as { $operation?: string }).$operation).toBe('DescribePipeline');
  });

  it("stops when the call's abort signal fires, with the error it had", async () => {
    const controller = new AbortController();
    const { client, tries } = fakeClient(SageMakerClient, [throttled], {
      retry: { sleep: async () => controller.abort() },
    });
    expect(await outcome(client.send(describePipeline, { abortSignal: controller.signal }))).toBe(
      'ThrottlingException',
    );
    expect(tries()).toBe(1);
  });
});

describe('"not found", one check for every service', () => {
  const endpointMissing = json(400, 'ValidationException', 'Could not find endpoint "churn".');
  it.each<[string, boolean, () => Promise<unknown>]>([
    [
      'SageMaker ResourceNotFound (a pipeline)',
      true,
      () =>
        fakeClient(SageMakerClient, [json(400, 'ResourceNotFound', 'Pipeline abalone does not exist.')]).client.send(
          describePipeline,
        ),
    ],
    [
      'SageMaker ValidationException "Could not find endpoint"',
      true,
      () =>
        fakeClient(SageMakerClient, [endpointMissing]).client.send(
          new DescribeEndpointCommand({ EndpointName: 'churn' }),
        ),
    ],
    [
      'ECR RepositoryNotFoundException',
      true,
      () =>
        fakeClient(ECRClient, [
          json(400, 'RepositoryNotFoundException', "The repository with name 'ml' does not exist"),
        ]).client.send(new DescribeRepositoriesCommand({ repositoryNames: ['ml'] })),
    ],
    [
      'CloudWatch Logs ResourceNotFoundException',
      true,
      () =>
        fakeClient(CloudWatchLogsClient, [
          json(400, 'ResourceNotFoundException', 'The specified log group does not exist.'),
        ]).client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/sagemaker/Endpoints/churn' })),
    ],
    [
      'S3 NoSuchBucket',
      true,
      () =>
        fakeClient(S3Client, [
          {
            status: 404,
            headers: { 'content-type': 'application/xml' },
            body: '<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>',
          },
        ]).client.send(new HeadBucketCommand({ Bucket: 'definitions' })),
    ],
    [
      'a ValidationException about something else',
      false,
      () =>
        fakeClient(SageMakerClient, [
          json(400, 'ValidationException', 'Pipeline names must be unique within an AWS account and region'),
        ]).client.send(describePipeline),
    ],
    [
      'a refusal',
      false,
      () =>
        fakeClient(SageMakerClient, [json(400, 'AccessDeniedException', 'not authorized')]).client.send(
          describePipeline,
        ),
    ],
  ])('%s → %s', async (_, expected, call) => {
    const error = await call().catch((caught: unknown) => caught);
    expect(isNotFound(error)).toBe(expected);
    expect((error as { notFound?: boolean }).notFound === true).toBe(expected);
  });

  it("keeps the service's code and message: the line that describes it reads as before", async () => {
    const { client } = fakeClient(SageMakerClient, [
      json(400, 'ValidationException', 'Could not find endpoint "churn".'),
    ]);
    const error = await client.send(new DescribeEndpointCommand({ EndpointName: 'churn' })).catch((e: unknown) => e);
    expect((error as Error).name).toBe('ValidationException');
    expect(describeError(error)).toBe('ValidationException: Could not find endpoint "churn".');
  });

  it('turns "not found" into no answer, and leaves any other failure one', async () => {
    const missing = fakeClient(SageMakerClient, [json(400, 'ResourceNotFound', 'Pipeline abalone does not exist.')]);
    await expect(unlessNotFound(missing.client.send(describePipeline))).resolves.toBeUndefined();
    const refused = fakeClient(SageMakerClient, [json(400, 'AccessDeniedException', 'not authorized')]);
    await expect(unlessNotFound(refused.client.send(describePipeline))).rejects.toThrow('not authorized');
  });
});
