/** The model registry: versions, the Ascending default sort, validation status, approval, cross-account access. */
import {
  CreateModelCommand,
  CreatePipelineCommand,
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  GetModelPackageGroupPolicyCommand,
  ListPipelineExecutionStepsCommand,
  ListModelPackagesCommand,
  PutModelPackageGroupPolicyCommand,
  StartPipelineExecutionCommand,
  UpdateModelPackageCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { beforeEach, describe, expect, it } from 'vitest';
import { sagemaker } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { rejection } from '../../testkit/requests.ts';
import { definition, token } from '../../testkit/sagemaker.ts';
import { DEV as A, PROD as B } from '../../testkit/worlds/accounts.ts';
import { ALICE, prodKeys, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);
const GROUP_ARN = `arn:aws:sagemaker:us-east-1:${A}:model-package-group/churn`;
const IMAGE = `${A}.dkr.ecr.us-east-1.amazonaws.com/churn@sha256:${'a'.repeat(64)}`;
let dev: SageMakerClient;

async function newVersion(description: string): Promise<string> {
  const out = await dev.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: 'churn',
      ModelPackageDescription: description,
      InferenceSpecification: {
        Containers: [{ Image: IMAGE, ModelDataUrl: 's3://models/churn/model.tar.gz' }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      CustomerMetadataProperties: { commit: description },
    }),
  );
  return out.ModelPackageArn ?? '';
}

beforeEach(async () => {
  dev = sagemaker(t.endpoint, ALICE);
  await dev.send(
    new CreateModelPackageGroupCommand({
      ModelPackageGroupName: 'churn',
      ModelPackageGroupDescription: 'churn models',
    }),
  );
});

describe('model registry', () => {
  it('versions packages and lists them Ascending unless asked otherwise', async () => {
    const arns = [await newVersion('first'), await newVersion('second'), await newVersion('third')];
    expect(arns).toEqual([1, 2, 3].map((v) => `arn:aws:sagemaker:us-east-1:${A}:model-package/churn/${v}`));
    const byDefault = await dev.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'churn', MaxResults: 1 }));
    // The trap: "the first result" is the OLDEST package by default.
    expect(byDefault.ModelPackageSummaryList?.map((p) => p.ModelPackageVersion)).toEqual([1]);
    const newest = await dev.send(
      new ListModelPackagesCommand({ ModelPackageGroupName: 'churn', SortBy: 'CreationTime', SortOrder: 'Descending' }),
    );
    expect(newest.ModelPackageSummaryList?.map((p) => p.ModelPackageVersion)).toEqual([3, 2, 1]);
    // Without a group the default type is Unversioned: none here.
    expect((await dev.send(new ListModelPackagesCommand({}))).ModelPackageSummaryList).toEqual([]);
  });

  it('validates a new package Pending → InProgress → Completed, or Failed as the scenario says', async () => {
    const arn = await newVersion('first');
    const status = async (packageArn: string) =>
      (await dev.send(new DescribeModelPackageCommand({ ModelPackageName: packageArn }))).ModelPackageStatus;
    expect(await status(arn)).toBe('Pending');
    await t.admin.advanceClock(1500);
    expect(await status(arn)).toBe('InProgress');
    await t.admin.advanceClock(2000);
    expect(await status(arn)).toBe('Completed');

    await t.admin.setScenario({
      modelPackageGroups: { churn: { status: 'Failed', failureReason: 'image scan failed' } },
    });
    const failed = await newVersion('second');
    await t.admin.advanceClock(3500);
    const described = await dev.send(new DescribeModelPackageCommand({ ModelPackageName: failed }));
    expect(described).toMatchObject({
      ModelPackageStatus: 'Failed',
      ModelPackageStatusDetails: { ValidationStatuses: [{ Status: 'Failed', FailureReason: 'image scan failed' }] },
    });
  });

  it('records approval updates with who and when', async () => {
    const arn = await newVersion('first');
    const before = await dev.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(before).toMatchObject({
      ModelApprovalStatus: 'PendingManualApproval',
      CustomerMetadataProperties: { commit: 'first' },
    });
    expect(before.LastModifiedTime).toBeUndefined();
    await dev.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: arn,
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'metrics reviewed',
        CustomerMetadataProperties: { approvedBy: 'alice' },
      }),
    );
    const after = await dev.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(after).toMatchObject({
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'metrics reviewed',
      CustomerMetadataProperties: { commit: 'first', approvedBy: 'alice' },
      LastModifiedBy: { IamIdentity: { Arn: `arn:aws:iam::${A}:user/alice` } },
    });
    expect(after.LastModifiedTime).toBeInstanceOf(Date);
    const approved = await dev.send(
      new ListModelPackagesCommand({ ModelPackageGroupName: 'churn', ModelApprovalStatus: 'Approved' }),
    );
    expect(approved.ModelPackageSummaryList?.map((p) => p.ModelPackageArn)).toEqual([arn]);
    const bad = await rejection(
      dev.send(new UpdateModelPackageCommand({ ModelPackageArn: arn, ModelApprovalStatus: 'Yes' as never })),
    );
    expect(bad.name).toBe('ValidationException');
  });

  it('denies another account without a group policy and allows what the policy grants', async () => {
    const arn = await newVersion('first');
    await t.admin.advanceClock(3500);
    const prod = sagemaker(t.endpoint, await prodKeys(t.endpoint));

    const denied = await rejection(prod.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toMatch(
      new RegExp(
        `^User: arn:aws:sts::${B}:assumed-role/deployer/deploy is not authorized to perform: sagemaker:DescribeModelPackage`,
      ),
    );
    expect((await rejection(prod.send(new ListModelPackagesCommand({ ModelPackageGroupName: GROUP_ARN })))).name).toBe(
      'AccessDeniedException',
    );

    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ProdReads',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${B}:root` },
          Action: [
            'sagemaker:DescribeModelPackageGroup',
            'sagemaker:DescribeModelPackage',
            'sagemaker:ListModelPackages',
          ],
          Resource: [GROUP_ARN, `arn:aws:sagemaker:us-east-1:${A}:model-package/churn/*`],
        },
      ],
    };
    await dev.send(
      new PutModelPackageGroupPolicyCommand({ ModelPackageGroupName: 'churn', ResourcePolicy: JSON.stringify(policy) }),
    );
    expect(
      JSON.parse(
        (await dev.send(new GetModelPackageGroupPolicyCommand({ ModelPackageGroupName: 'churn' }))).ResourcePolicy ??
          '',
      ),
    ).toEqual(policy);

    expect((await prod.send(new DescribeModelPackageCommand({ ModelPackageName: arn }))).ModelPackageGroupName).toBe(
      'churn',
    );
    expect(
      (await prod.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: GROUP_ARN })))
        .ModelPackageGroupArn,
    ).toBe(GROUP_ARN);
    const listed = await prod.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: GROUP_ARN,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
      }),
    );
    expect(listed.ModelPackageSummaryList?.map((p) => p.ModelPackageArn)).toEqual([arn]);
    // Reading is not approving.
    const update = await rejection(
      prod.send(new UpdateModelPackageCommand({ ModelPackageArn: arn, ModelApprovalStatus: 'Approved' })),
    );
    expect(update.name).toBe('AccessDeniedException');
    // By name, a group means the caller's own account.
    expect(
      (await rejection(prod.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'churn' })))).message,
    ).toBe('ModelPackageGroup churn does not exist.');

    // Deploying from the shared package in prod.
    await prod.send(
      new CreateModelCommand({
        ModelName: 'churn-from-registry',
        ExecutionRoleArn: `arn:aws:iam::${B}:role/sagemaker-execution`,
        PrimaryContainer: { ModelPackageName: arn },
      }),
    );
  });
  it('lets a pipeline in another account register into the group when the policy allows CreateModelPackage', async () => {
    const prod = sagemaker(t.endpoint, await prodKeys(t.endpoint));
    const steps = definition([
      {
        Name: 'Register',
        Type: 'RegisterModel',
        Arguments: { ModelPackageGroupName: GROUP_ARN, InferenceSpecification: { Containers: [{ Image: IMAGE }] } },
      },
    ]);
    await prod.send(
      new CreatePipelineCommand({
        PipelineName: 'central',
        PipelineDefinition: steps,
        RoleArn: `arn:aws:iam::${B}:role/pipeline`,
      }),
    );
    const run = async () => {
      const { PipelineExecutionArn } = await prod.send(
        new StartPipelineExecutionCommand({
          PipelineName: 'central',
          ClientRequestToken: token(`run-${Math.random()}`),
        }),
      );
      await t.admin.advanceClock(10_000);
      const out = await prod.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn }));
      return out.PipelineExecutionSteps?.[0];
    };
    const denied = await run();
    expect(denied?.StepStatus).toBe('Failed');
    expect(denied?.FailureReason).toMatch(/is not authorized to perform: sagemaker:CreateModelPackage/);

    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: B }, Action: 'sagemaker:CreateModelPackage' }],
    };
    await dev.send(
      new PutModelPackageGroupPolicyCommand({ ModelPackageGroupName: 'churn', ResourcePolicy: JSON.stringify(policy) }),
    );
    const allowed = await run();
    expect(allowed?.Metadata?.RegisterModel?.Arn).toBe(`arn:aws:sagemaker:us-east-1:${A}:model-package/churn/1`);
    const listed = await dev.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'churn' }));
    expect(listed.ModelPackageSummaryList?.map((p) => p.ModelApprovalStatus)).toEqual(['PendingManualApproval']);
  });
});
