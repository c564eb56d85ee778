/** IAM authorization: the evaluator's rules as a table, and the emulator's answers for real requests. */
import { PutObjectCommand, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreatePipelineCommand, DescribePipelineCommand, ListPipelinesCommand } from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument, World } from '../../emulator/admin-client.ts';
import { decide, type Decision } from '../../emulator/iam/decision.ts';
import { authorizationsFor, authorizedOperations } from '../../emulator/iam/operations.ts';
import type { Principal } from '../../emulator/iam/policy.ts';
import { builtInServices } from '../../emulator/services/index.ts';
import type { OidcIssuer } from '../../emulator/oidc-issuer.ts';
import { loadWorld } from '../../emulator/world.ts';
import { sagemaker as sagemakerClient } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { DEV as A, type Keys, PROD as B } from '../../testkit/worlds/accounts.ts';

const PIPELINE = `arn:aws:sagemaker:eu-west-1:${A}:pipeline/abalone`;
const session: Principal = {
  type: 'assumed-role',
  accountId: A,
  roleArn: `arn:aws:iam::${A}:role/ci`,
  sessionArn: `arn:aws:sts::${A}:assumed-role/ci/s`,
};
const allow = (statement: object): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', ...statement }],
});
const deny = (statement: object): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', ...statement }],
});

function decision(overrides: Partial<Decision>): Decision {
  return {
    principal: session,
    action: 'sagemaker:DescribePipeline',
    resource: PIPELINE,
    context: {},
    identityPolicies: [],
    resourcePolicy: undefined,
    trustedByService: undefined,
    sameAccount: true,
    ...overrides,
  };
}

describe('IAM evaluation', () => {
  const cases: [string, Partial<Decision>, ReturnType<typeof decide>][] = [
    ['no policy at all: implicit deny', {}, 'no-identity-allow'],
    [
      'an Allow on the resource',
      { identityPolicies: [allow({ Action: 'sagemaker:Describe*', Resource: PIPELINE })] },
      null,
    ],
    [
      'an explicit Deny wins over any Allow',
      {
        identityPolicies: [
          allow({ Action: '*', Resource: '*' }),
          deny({ Action: 'sagemaker:DescribePipeline', Resource: '*' }),
        ],
      },
      'identity-deny',
    ],
    [
      'another resource is not this one',
      { identityPolicies: [allow({ Action: '*', Resource: `${PIPELINE}-prod` })] },
      'no-identity-allow',
    ],
    [
      'NotAction allows what it does not name',
      { identityPolicies: [allow({ NotAction: 'iam:*', Resource: '*' })] },
      null,
    ],
    [
      'NotAction does not allow what it names',
      { action: 'iam:PassRole', identityPolicies: [allow({ NotAction: 'iam:*', Resource: '*' })] },
      'no-identity-allow',
    ],
    [
      'NotResource excludes its resources',
      { identityPolicies: [allow({ Action: '*', NotResource: 'arn:aws:sagemaker:*:*:pipeline/*' })] },
      'no-identity-allow',
    ],
    [
      'actions match case-insensitively',
      { identityPolicies: [allow({ Action: 'SageMaker:describepipeline', Resource: PIPELINE })] },
      null,
    ],
    [
      'StringEquals on a request tag holds',
      {
        context: { 'aws:RequestTag/team': 'forecasting' },
        identityPolicies: [
          allow({ Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'forecasting' } } }),
        ],
      },
      null,
    ],
    [
      'StringEquals on a missing resource tag fails',
      {
        identityPolicies: [
          allow({ Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'forecasting' } } }),
        ],
      },
      'no-identity-allow',
    ],
    [
      'ArnLike on the principal',
      {
        context: { 'aws:PrincipalArn': session.type === 'assumed-role' ? session.roleArn : '' },
        identityPolicies: [
          allow({
            Action: '*',
            Resource: '*',
            Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/c?' } },
          }),
        ],
      },
      null,
    ],
    [
      'a resource policy naming the caller allows on its own in its account',
      {
        resourcePolicy: allow({
          Principal: { AWS: session.type === 'assumed-role' ? session.roleArn : '' },
          Action: '*',
        }),
      },
      null,
    ],
    [
      'a resource policy naming only the account delegates to identity policies',
      { resourcePolicy: allow({ Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: '*' }) },
      'no-identity-allow',
    ],
    [
      'across accounts an identity Allow alone is not enough',
      { sameAccount: false, identityPolicies: [allow({ Action: '*', Resource: '*' })] },
      'no-resource-allow',
    ],
    [
      'across accounts a resource policy alone is not enough',
      { sameAccount: false, resourcePolicy: allow({ Principal: { AWS: A }, Action: '*' }) },
      'no-identity-allow',
    ],
    [
      'across accounts both sides allow',
      {
        sameAccount: false,
        identityPolicies: [allow({ Action: '*', Resource: '*' })],
        resourcePolicy: allow({ Principal: { AWS: A }, Action: 'sagemaker:*', Resource: PIPELINE }),
      },
      null,
    ],
    [
      "a resource policy's Deny wins",
      {
        identityPolicies: [allow({ Action: '*', Resource: '*' })],
        resourcePolicy: deny({ Principal: '*', Action: '*' }),
      },
      'resource-deny',
    ],
  ];
  it.each(cases)('%s', (_, overrides, expected) => {
    expect(decide(decision(overrides))).toBe(expected);
  });

  it('has a rule for every operation the emulator serves, and none for others', () => {
    const served = builtInServices({} as OidcIssuer).flatMap((service) =>
      Object.keys(service.operations).map((operation) => `${service.name}:${operation}`),
    );
    // Unsigned operations are governed by trust policies alone; the registry API is authorised by
    // the ECR registry gate, per request, as these ECR actions.
    const unsigned = ['sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'];
    const registryApi = [
      'BatchCheckLayerAvailability',
      'GetDownloadUrlForLayer',
      'InitiateLayerUpload',
      'UploadLayerPart',
      'CompleteLayerUpload',
      'BatchDeleteImage',
      'ListImages',
    ].map((op) => `ecr:${op}`);
    expect(authorizedOperations().sort()).toEqual(
      [...served.filter((op) => !unsigned.includes(op)), ...registryApi].sort(),
    );
  });

  // The IAM Service Authorization Reference's resource types for the operations smoke tests, retries and cleanup use.
  it.each([
    [
      'sagemaker-runtime',
      'InvokeEndpoint',
      { EndpointName: 'Abalone' },
      'sagemaker:InvokeEndpoint',
      'endpoint/abalone',
    ],
    [
      'sagemaker',
      'RetryPipelineExecution',
      { PipelineExecutionArn: `${PIPELINE}/execution/x1` },
      'sagemaker:RetryPipelineExecution',
      'pipeline/abalone/execution/x1',
    ],
    ['sagemaker', 'ListEndpoints', {}, 'sagemaker:ListEndpoints', '*'],
    ['sagemaker', 'ListModels', {}, 'sagemaker:ListModels', '*'],
    [
      'sagemaker',
      'DeleteEndpointConfig',
      { EndpointConfigName: 'abalone-v1-ab' },
      'sagemaker:DeleteEndpointConfig',
      'endpoint-config/abalone-v1-ab',
    ],
  ])('%s %s is authorised as %s', (service, operation, input, action, resource) => {
    const authorizations = authorizationsFor(service, operation, { account: A, region: 'eu-west-1', input });
    const arn = resource === '*' ? '*' : `arn:aws:sagemaker:eu-west-1:${A}:${resource}`;
    expect(authorizations?.map((a) => [a.action, a.resource])).toEqual([[action, arn]]);
  });

  it.each([
    [
      { policies: [{ name: 'p', document: allow({ Principal: '*', Action: '*', Resource: '*' }) }] },
      'cannot have Principal',
    ],
    [{ policies: [{ name: 'p', document: allow({ Action: '*' }) }] }, 'needs Resource or NotResource'],
    [{ managedPolicies: [`arn:aws:iam::${A}:policy/missing`] }, "names no policy of the world's policies"],
  ])('refuses a world whose policies IAM would refuse: %#', (user, message) => {
    expect(() => loadWorld({ accounts: [{ id: A, users: [{ name: 'u', ...user }] }] })).toThrow(message);
  });
});

// ---- Requests as the SDK sends them.

const KEYS = {
  reader: { accessKeyId: 'AKIAREADER0000000001', secretAccessKey: 'reader/secret/key/for/iam/tests/0000001' },
  denied: { accessKeyId: 'AKIADENIED0000000001', secretAccessKey: 'denied/secret/key/for/iam/tests/0000001' },
  builder: { accessKeyId: 'AKIABUILDER000000001', secretAccessKey: 'builder/secret/key/for/iam/tests/000001' },
};
const READ_SAGEMAKER = `arn:aws:iam::${A}:policy/read-sagemaker`;

const world: World = {
  accounts: [
    {
      id: A,
      users: [
        { name: 'reader', ...KEYS.reader, managedPolicies: [READ_SAGEMAKER] },
        {
          name: 'denied',
          ...KEYS.denied,
          managedPolicies: [READ_SAGEMAKER],
          policies: [{ name: 'no-describe', document: deny({ Action: 'sagemaker:DescribePipeline', Resource: '*' }) }],
        },
        {
          name: 'builder',
          ...KEYS.builder,
          policies: [
            {
              name: 'pipelines',
              document: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: 'sagemaker:CreatePipeline', Resource: PIPELINE },
                  {
                    Effect: 'Allow',
                    Action: 'iam:PassRole',
                    Resource: `arn:aws:iam::${A}:role/*`,
                    Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
                  },
                ],
              },
            },
          ],
        },
      ],
    },
    { id: B },
  ],
  policies: [{ account: A, name: 'read-sagemaker', document: allow({ Action: 'sagemaker:List*', Resource: '*' }) }],
  roles: [
    {
      arn: `arn:aws:iam::${B}:role/target`,
      trustPolicy: allow({ Principal: { AWS: `arn:aws:iam::${A}:user/reader` }, Action: 'sts:AssumeRole' }),
    },
  ],
};

const emulator = useEmulator(world);
const sagemaker = (keys: Keys) => sagemakerClient(emulator.endpoint, keys, { region: 'eu-west-1' });

async function refusal(call: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!error) throw new Error('the call was allowed');
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

describe('the emulator authorises every signed request', () => {
  it('allows what a managed policy allows and refuses the rest in AWS words', async () => {
    const client = sagemaker(KEYS.reader);
    await expect(client.send(new ListPipelinesCommand({}))).resolves.toBeDefined();
    expect(await refusal(client.send(new DescribePipelineCommand({ PipelineName: 'abalone' })))).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: `User: arn:aws:iam::${A}:user/reader is not authorized to perform: sagemaker:DescribePipeline on resource: ${PIPELINE} because no identity-based policy allows the sagemaker:DescribePipeline action`,
    });
    client.destroy();
  });

  it('names an explicit deny as such', async () => {
    const client = sagemaker(KEYS.denied);
    expect((await refusal(client.send(new DescribePipelineCommand({ PipelineName: 'abalone' })))).message).toMatch(
      /sagemaker:DescribePipeline on resource: .* with an explicit deny in an identity-based policy$/,
    );
    client.destroy();
  });

  it('needs iam:PassRole, with its iam:PassedToService condition, to pass a role to SageMaker', async () => {
    const client = sagemaker(KEYS.builder);
    const created = refusal(
      client.send(
        new CreatePipelineCommand({
          PipelineName: 'abalone',
          RoleArn: `arn:aws:iam::${A}:role/sagemaker-execution`,
          PipelineDefinition: JSON.stringify({ Version: '2020-12-01', Steps: [] }),
          ClientRequestToken: 'x'.repeat(32),
        }),
      ),
    );
    expect((await created).message).toContain(
      `not authorized to perform: iam:PassRole on resource: arn:aws:iam::${A}:role/sagemaker-execution because no identity-based policy allows the iam:PassRole action`,
    );
    // Refused before the handler: nothing was created.
    const calls = await emulator.admin.calls();
    expect(calls.find((c) => c.operation === 'CreatePipeline')?.errorCode).toBe('AccessDeniedException');
    client.destroy();
  });

  it('answers STS (query) and S3 (restXml) with AccessDenied; GetCallerIdentity needs no permission', async () => {
    const sts = new STSClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: KEYS.reader });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(A);
    // Across accounts the role's trust policy alone does not do: the caller's policies must allow too.
    expect(
      await refusal(
        sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/target`, RoleSessionName: 'cross-account' })),
      ),
    ).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:iam::${A}:user/reader is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${B}:role/target because no identity-based policy allows the sts:AssumeRole action`,
    });
    sts.destroy();
    const s3 = new S3Client({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: KEYS.reader });
    expect(await refusal(s3.send(new CreateBucketCommand({ Bucket: 'ml-artifacts' })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    expect((await refusal(s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })))).message).toContain(
      's3:PutObject on resource: arn:aws:s3:::b/k because no identity-based policy allows',
    );
    s3.destroy();
  });

  it('keeps allow-all only for a world that says so', async () => {
    await emulator.admin.loadWorld({ ...world, authorization: 'allow-all' });
    const client = sagemaker(KEYS.reader);
    expect(await refusal(client.send(new DescribePipelineCommand({ PipelineName: 'abalone' })))).toMatchObject({
      name: 'ResourceNotFound',
    });
    client.destroy();
  });
});
