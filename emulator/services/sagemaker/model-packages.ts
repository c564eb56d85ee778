import { AwsError } from '../../errors.ts';
import type { Handler, OperationContext } from '../../registry.ts';
import { policyProblem, type TrustPrincipal } from '../../trust-policy.ts';
import type { PolicyDocument } from '../../types.ts';
import type { JsonInput } from '../json-input.ts';
import {
  arnOf,
  byTime,
  conflict,
  inputOf,
  listPage,
  scopeOf,
  sortOrder,
  userContext,
  validation,
  type Scope,
} from './common.ts';
import { modelPackageChanged } from './events.ts';
import {
  createPackageVersion,
  findGroup,
  findPackage,
  groupRef,
  packageStatus,
  policyAllows,
  registryOf,
  type ApprovalStatus,
  type GroupRef,
  type ModelPackage,
  type ModelPackageGroup,
} from './model-registry.ts';
import { dropTags, putTags } from './tags.ts';

// The model registry API: package groups, their resource policies, and versioned packages.
// Groups in other accounts are addressed by ARN and guarded by the group's resource policy.

/** The caller as a resource policy's Principal element sees them. */
export function callerPrincipal(context: OperationContext): TrustPrincipal {
  const caller = context.caller;
  if (caller.kind === 'assumed-role')
    return {
      type: 'assumed-role',
      accountId: caller.accountId,
      roleArn: caller.session.roleArn,
      sessionArn: caller.arn,
    };
  return { type: 'user', accountId: caller.accountId ?? '', arn: caller.arn ?? '' };
}

export function accessDenied(context: OperationContext, action: string, resource: string): AwsError {
  return new AwsError(
    'AccessDeniedException',
    `User: ${context.caller.arn ?? 'anonymous'} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`,
  );
}

const groupMissing = (name: string) => validation(`ModelPackageGroup ${name} does not exist.`);

/** The group a name or ARN names, if the caller may perform `action` on it. */
export function accessibleGroup(
  context: OperationContext,
  nameOrArn: string,
  action: string,
): { ref: GroupRef; group: ModelPackageGroup } {
  const caller = scopeOf(context);
  const ref = groupRef(caller, nameOrArn);
  if (!ref) throw validation(`Invalid model package group ARN: ${nameOrArn}`);
  const group = findGroup(context.state, ref);
  const foreign = ref.scope.account !== caller.account;
  // Another account's missing group and its forbidden group look the same to the caller.
  if (!group) throw foreign ? accessDenied(context, action, nameOrArn) : groupMissing(nameOrArn);
  if (!policyAllows(group, ref.scope, callerPrincipal(context), action)) throw accessDenied(context, action, group.arn);
  return { ref, group };
}

/** The package an ARN names, if the caller may perform one of `actions` on it. */
export function accessiblePackage(
  context: OperationContext,
  arn: string,
  actions: string[],
): { pkg: ModelPackage; ref: GroupRef } {
  const found = findPackage(context.state, arn);
  const caller = scopeOf(context);
  const foreign = !arn.includes(`:${caller.account}:`);
  if (!found) {
    if (foreign) throw accessDenied(context, actions[0] ?? '', arn);
    throw validation(`ModelPackage ${arn} does not exist.`);
  }
  const group = findGroup(context.state, found.ref);
  const principal = callerPrincipal(context);
  if (!group || !actions.some((action) => policyAllows(group, found.ref.scope, principal, action)))
    throw accessDenied(context, actions[0] ?? '', found.pkg.arn);
  return found;
}

function groupView(group: ModelPackageGroup, withCreator: boolean): Record<string, unknown> {
  return {
    ModelPackageGroupName: group.name,
    ModelPackageGroupArn: group.arn,
    ...(group.description !== undefined ? { ModelPackageGroupDescription: group.description } : {}),
    CreationTime: new Date(group.creationTime),
    ...(withCreator ? { CreatedBy: group.createdBy } : {}),
    ModelPackageGroupStatus: 'Completed',
  };
}

function createModelPackageGroup(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('ModelPackageGroupName') ?? '';
  const description = input.string('ModelPackageGroupDescription');
  const tags = input.list('Tags');
  const scope = scopeOf(context);
  const store = registryOf(context.state, scope);
  const existing = store.groups.get(name.toLowerCase());
  if (existing) throw validation(`Model Package Group already exists: ${existing.arn}`);
  const group: ModelPackageGroup = {
    name,
    arn: arnOf(scope, 'model-package-group', name),
    description,
    creationTime: context.state.clock.now(),
    createdBy: userContext(context),
    policy: undefined,
  };
  store.groups.set(name.toLowerCase(), group);
  if (tags) putTags(context, group.arn, tags);
  return { ModelPackageGroupArn: group.arn };
}

function groupInput(input: JsonInput): string {
  const name = input.string('ModelPackageGroupName') ?? '';
  return name;
}

function describeModelPackageGroup(context: OperationContext): Record<string, unknown> {
  const { group } = accessibleGroup(context, groupInput(inputOf(context)), 'sagemaker:DescribeModelPackageGroup');
  return groupView(group, true);
}

function listModelPackageGroups(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const contains = input.string('NameContains');
  const sortBy = input.string<'Name' | 'CreationTime'>('SortBy') ?? 'CreationTime';
  const order = sortOrder(input, 'Ascending');
  const crossAccount = input.string<'SameAccount' | 'CrossAccount'>('CrossAccountFilterOption');
  const after = input.number('CreationTimeAfter');
  const before = input.number('CreationTimeBefore');
  const caller = scopeOf(context);
  let groups: ModelPackageGroup[];
  if (crossAccount === 'CrossAccount') {
    // Shared with the caller: other accounts' groups (same region) whose policy lets them look.
    const principal = callerPrincipal(context);
    groups = [];
    for (const { account, region } of context.state.resources.bucketsOf('sagemaker:model-registry')) {
      if (account === caller.account || region !== caller.region) continue;
      const owner: Scope = { account, region };
      for (const group of registryOf(context.state, owner).groups.values()) {
        if (policyAllows(group, owner, principal, 'sagemaker:DescribeModelPackageGroup')) groups.push(group);
      }
    }
  } else {
    groups = [...registryOf(context.state, caller).groups.values()];
  }
  const filtered = groups
    .filter((g) => contains === undefined || g.name.toLowerCase().includes(contains.toLowerCase()))
    .filter(
      (g) =>
        (after === undefined || g.creationTime > after * 1000) &&
        (before === undefined || g.creationTime < before * 1000),
    )
    .sort(
      sortBy === 'Name'
        ? (a, b) => (order === 'Ascending' ? 1 : -1) * a.name.localeCompare(b.name)
        : byTime((g: ModelPackageGroup) => g.creationTime, order),
    );
  const page = listPage(input, `ListModelPackageGroups/${sortBy}/${order}/${crossAccount ?? ''}`, filtered);
  return {
    ModelPackageGroupSummaryList: page.items.map((g) => groupView(g, false)),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

function deleteModelPackageGroup(context: OperationContext): Record<string, unknown> {
  const name = groupInput(inputOf(context));
  const { ref, group } = accessibleGroup(context, name, 'sagemaker:DeleteModelPackageGroup');
  const store = registryOf(context.state, ref.scope);
  if ((store.packages.get(group.name.toLowerCase()) ?? []).length > 0)
    throw conflict(`Model Package Group ${group.name} still contains model packages; delete them first.`);
  store.groups.delete(group.name.toLowerCase());
  dropTags(context, group.arn);
  return {};
}

function putModelPackageGroupPolicy(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('ModelPackageGroupName') ?? '';
  const policy = input.string('ResourcePolicy') ?? '';
  let document: PolicyDocument;
  try {
    document = JSON.parse(policy) as PolicyDocument;
  } catch {
    throw validation('ResourcePolicy is not valid JSON.');
  }
  if (typeof document !== 'object' || document === null || document.Statement === undefined)
    throw validation('ResourcePolicy must be a policy document with a Statement.');
  const problem = policyProblem(document);
  if (problem) throw validation(`ResourcePolicy: ${problem}`);
  // Only the owner manages the policy, whatever the policy says.
  const { group } = accessibleGroup(context, name, 'sagemaker:PutModelPackageGroupPolicy');
  if (!group.arn.includes(`:${scopeOf(context).account}:`))
    throw accessDenied(context, 'sagemaker:PutModelPackageGroupPolicy', group.arn);
  group.policy = policy;
  return { ModelPackageGroupArn: group.arn };
}

function getModelPackageGroupPolicy(context: OperationContext): Record<string, unknown> {
  const { group } = accessibleGroup(context, groupInput(inputOf(context)), 'sagemaker:GetModelPackageGroupPolicy');
  if (group.policy === undefined) throw validation(`Cannot find resource policy for ModelPackageGroup ${group.name}.`);
  return { ResourcePolicy: group.policy };
}

function deleteModelPackageGroupPolicy(context: OperationContext): Record<string, unknown> {
  const { group } = accessibleGroup(context, groupInput(inputOf(context)), 'sagemaker:DeleteModelPackageGroupPolicy');
  if (group.policy === undefined) throw validation(`Cannot find resource policy for ModelPackageGroup ${group.name}.`);
  group.policy = undefined;
  return {};
}

function readMetadata(input: JsonInput, name: string): Record<string, string> | undefined {
  return input.object(name) as Record<string, string> | undefined;
}

function readInferenceSpecification(input: JsonInput): Record<string, unknown> | undefined {
  return input.object('InferenceSpecification');
}

/** Fields a package keeps and returns as they were given. */
const KEPT_FIELDS = [
  'InferenceSpecification',
  'ModelMetrics',
  'MetadataProperties',
  'Domain',
  'Task',
  'SamplePayloadUrl',
  'DriftCheckBaselines',
  'AdditionalInferenceSpecifications',
  'SourceUri',
  'ValidationSpecification',
  'SkipModelValidation',
] as const;

function createModelPackage(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const groupName = input.string('ModelPackageGroupName');
  const packageName = input.string('ModelPackageName');
  const description = input.string('ModelPackageDescription');
  const approval = input.string<ApprovalStatus>('ModelApprovalStatus');
  const metadata = readMetadata(input, 'CustomerMetadataProperties');
  const clientToken = input.string('ClientToken');
  const tags = input.list('Tags');
  readInferenceSpecification(input);
  if (groupName !== undefined && packageName !== undefined)
    throw validation(
      'Both ModelPackageName and ModelPackageGroupName are provided in the input. Cannot determine which one to use.',
    );
  if (groupName === undefined)
    throw validation(
      'Unversioned model packages (ModelPackageName without ModelPackageGroupName) are not supported by the emulator.',
    );

  const { ref, group } = accessibleGroup(context, groupName, 'sagemaker:CreateModelPackage');
  const store = registryOf(context.state, ref.scope);
  const tokenKey = clientToken === undefined ? undefined : `${context.caller.arn ?? ''}/${clientToken}`;
  const earlier = tokenKey === undefined ? undefined : store.tokens.get(tokenKey);
  if (earlier !== undefined) return { ModelPackageArn: earlier };

  const fields: Record<string, unknown> = {};
  for (const key of KEPT_FIELDS) if (context.input[key] !== undefined) fields[key] = context.input[key];
  const pkg = createPackageVersion(
    context.state,
    ref,
    group,
    { description, approvalStatus: approval, fields, customerMetadata: metadata, createdBy: userContext(context) },
    context.state.clock.now(),
  );
  if (tokenKey !== undefined) store.tokens.set(tokenKey, pkg.arn);
  if (tags) putTags(context, pkg.arn, tags);
  return { ModelPackageArn: pkg.arn };
}

function packageSummary(pkg: ModelPackage, now: number): Record<string, unknown> {
  return {
    ModelPackageName: pkg.group,
    ModelPackageGroupName: pkg.group,
    ModelPackageVersion: pkg.version,
    ModelPackageArn: pkg.arn,
    ...(pkg.description !== undefined ? { ModelPackageDescription: pkg.description } : {}),
    CreationTime: new Date(pkg.creationTime),
    ModelPackageStatus: packageStatus(pkg, now),
    ModelApprovalStatus: pkg.approvalStatus,
  };
}

function packageView(pkg: ModelPackage, now: number): Record<string, unknown> {
  const status = packageStatus(pkg, now);
  return {
    ...pkg.fields,
    ...packageSummary(pkg, now),
    ModelPackageStatusDetails: {
      ValidationStatuses:
        status === 'Failed' ? [{ Name: pkg.group, Status: 'Failed', FailureReason: pkg.failureReason }] : [],
      ImageScanStatuses: [],
    },
    CertifyForMarketplace: false,
    CreatedBy: pkg.createdBy,
    ...(pkg.lastModifiedTime !== undefined ? { LastModifiedTime: new Date(pkg.lastModifiedTime) } : {}),
    ...(pkg.lastModifiedBy !== undefined ? { LastModifiedBy: pkg.lastModifiedBy } : {}),
    ...(pkg.approvalDescription !== undefined ? { ApprovalDescription: pkg.approvalDescription } : {}),
    ...(Object.keys(pkg.customerMetadata).length > 0 ? { CustomerMetadataProperties: pkg.customerMetadata } : {}),
  };
}

function describeModelPackage(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('ModelPackageName') ?? '';
  if (!name.startsWith('arn:')) throw validation(`ModelPackage ${name} does not exist.`);
  const { pkg } = accessiblePackage(context, name, ['sagemaker:DescribeModelPackage']);
  return packageView(pkg, context.state.clock.now());
}

function listModelPackages(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const groupName = input.string('ModelPackageGroupName');
  const approval = input.string<ApprovalStatus>('ModelApprovalStatus');
  const type = input.string<'Versioned' | 'Unversioned' | 'Both'>('ModelPackageType');
  const contains = input.string('NameContains');
  const sortBy = input.string<'Name' | 'CreationTime'>('SortBy') ?? 'CreationTime';
  // Ascending by default, as SageMaker documents: callers wanting the newest must ask for Descending.
  const order = sortOrder(input, 'Ascending');
  const after = input.number('CreationTimeAfter');
  const before = input.number('CreationTimeBefore');

  let packages: ModelPackage[] = [];
  // Without a group the default type is Unversioned, which the emulator never holds.
  const versioned = type === 'Versioned' || type === 'Both' || (type === undefined && groupName !== undefined);
  if (versioned) {
    if (groupName !== undefined) {
      const { ref, group } = accessibleGroup(context, groupName, 'sagemaker:ListModelPackages');
      packages = registryOf(context.state, ref.scope).packages.get(group.name.toLowerCase()) ?? [];
    } else {
      packages = [...registryOf(context.state, scopeOf(context)).packages.values()].flat();
    }
  }
  const filtered = packages
    .filter((p) => approval === undefined || p.approvalStatus === approval)
    .filter((p) => contains === undefined || p.group.toLowerCase().includes(contains.toLowerCase()))
    .filter(
      (p) =>
        (after === undefined || p.creationTime > after * 1000) &&
        (before === undefined || p.creationTime < before * 1000),
    )
    // Versions break ties: packages created in the same millisecond still list in version order.
    .sort((a, b) => {
      const direction = order === 'Ascending' ? 1 : -1;
      const primary = sortBy === 'Name' ? a.group.localeCompare(b.group) : a.creationTime - b.creationTime;
      return direction * (primary || a.version - b.version);
    });
  const page = listPage(input, `ListModelPackages/${sortBy}/${order}`, filtered);
  const now = context.state.clock.now();
  return {
    ModelPackageSummaryList: page.items.map((p) => packageSummary(p, now)),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

function updateModelPackage(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const arn = input.string('ModelPackageArn') ?? '';
  const approval = input.string<ApprovalStatus>('ModelApprovalStatus');
  const approvalDescription = input.string('ApprovalDescription');
  const metadata = readMetadata(input, 'CustomerMetadataProperties');
  const remove = input.list('CustomerMetadataPropertiesToRemove');
  const inference = readInferenceSpecification(input);
  const sourceUri = input.string('SourceUri');
  const { pkg } = accessiblePackage(context, arn, ['sagemaker:UpdateModelPackage']);
  // What changed, as the state change event's UpdatedModelPackageFields names it.
  const updated = [
    ...(approval !== undefined ? ['ModelApprovalStatus'] : []),
    ...(approvalDescription !== undefined ? ['ApprovalDescription'] : []),
    ...(metadata || remove ? ['CustomerMetadataProperties'] : []),
    ...(inference ? ['InferenceSpecification'] : []),
    ...(sourceUri !== undefined ? ['SourceUri'] : []),
  ];
  if (approval !== undefined) pkg.approvalStatus = approval as ApprovalStatus;
  if (approvalDescription !== undefined) pkg.approvalDescription = approvalDescription;
  if (metadata) Object.assign(pkg.customerMetadata, metadata);
  if (remove) {
    const removed = new Set(remove.map(String));
    pkg.customerMetadata = Object.fromEntries(
      Object.entries(pkg.customerMetadata).filter(([key]) => !removed.has(key)),
    );
  }
  if (inference) pkg.fields.InferenceSpecification = inference;
  if (sourceUri !== undefined) pkg.fields.SourceUri = sourceUri;
  const now = context.state.clock.now();
  pkg.lastModifiedTime = now;
  pkg.lastModifiedBy = userContext(context);
  if (updated.length > 0) modelPackageChanged(context.state, pkg, packageStatus(pkg, now), now, updated);
  return { ModelPackageArn: pkg.arn };
}

function deleteModelPackage(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const arn = input.string('ModelPackageName') ?? '';
  const { pkg, ref } = accessiblePackage(context, arn, ['sagemaker:DeleteModelPackage']);
  const versions = registryOf(context.state, ref.scope).packages.get(pkg.group.toLowerCase()) ?? [];
  versions.splice(versions.indexOf(pkg), 1);
  dropTags(context, pkg.arn);
  return {};
}

export const modelPackageOperations: Record<string, Handler> = {
  CreateModelPackageGroup: createModelPackageGroup,
  DescribeModelPackageGroup: describeModelPackageGroup,
  ListModelPackageGroups: listModelPackageGroups,
  DeleteModelPackageGroup: deleteModelPackageGroup,
  PutModelPackageGroupPolicy: putModelPackageGroupPolicy,
  GetModelPackageGroupPolicy: getModelPackageGroupPolicy,
  DeleteModelPackageGroupPolicy: deleteModelPackageGroupPolicy,
  CreateModelPackage: createModelPackage,
  DescribeModelPackage: describeModelPackage,
  ListModelPackages: listModelPackages,
  UpdateModelPackage: updateModelPackage,
  DeleteModelPackage: deleteModelPackage,
};

/** Groups and packages in the caller's account are taggable by ARN. */
export function registryArnExists(context: OperationContext, arn: string): boolean {
  const store = registryOf(context.state, scopeOf(context));
  if ([...store.groups.values()].some((g) => g.arn === arn)) return true;
  return findPackage(context.state, arn) !== undefined && arn.includes(`:${scopeOf(context).account}:`);
}
