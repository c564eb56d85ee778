import type { EmulatorState } from '../../state.ts';
import { evaluateTrustPolicy, type TrustPrincipal } from '../../trust-policy.ts';
import type { PolicyDocument } from '../../types.ts';
import { areaStore, arnOf, parseArn, type Scope } from './common.ts';
import { modelPackageChanged } from './events.ts';

/**
 * The model registry's data: package groups (with their resource policy) and the versioned
 * packages in them, per account and region. Pipelines (RegisterModel steps) and the registry
 * API both create packages through createPackageVersion, so versions count the same way.
 */

export type ApprovalStatus = 'Approved' | 'Rejected' | 'PendingManualApproval';
export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ['Approved', 'Rejected', 'PendingManualApproval'];

export interface ModelPackageGroup {
  name: string;
  arn: string;
  description: string | undefined;
  creationTime: number;
  createdBy: Record<string, unknown>;
  /** The resource policy as given (JSON text), or undefined. */
  policy: string | undefined;
}

export interface ModelPackage {
  group: string;
  version: number;
  arn: string;
  description: string | undefined;
  approvalStatus: ApprovalStatus;
  approvalDescription: string | undefined;
  /** CreateModelPackage fields kept as given: InferenceSpecification, ModelMetrics, ... */
  fields: Record<string, unknown>;
  customerMetadata: Record<string, string>;
  creationTime: number;
  createdBy: Record<string, unknown>;
  lastModifiedTime: number | undefined;
  lastModifiedBy: Record<string, unknown> | undefined;
  /** Where validation ends; status is Pending, then InProgress, then this. */
  finalStatus: 'Completed' | 'Failed';
  /** Simulated ms from creation to finalStatus. */
  settleMs: number;
  failureReason: string | undefined;
}

export interface RegistryStore {
  /** By lower-cased name: SageMaker names are case-insensitive. */
  groups: Map<string, ModelPackageGroup>;
  packages: Map<string, ModelPackage[]>;
  /** ClientRequestToken of CreateModelPackage → package ARN. */
  tokens: Map<string, string>;
}

const AREA = 'model-registry';
/** Pending, then InProgress, then Completed (or Failed) over this many simulated ms by default. */
export const PACKAGE_SETTLE_MS = 3000;

export function registryOf(state: EmulatorState, scope: Scope): RegistryStore {
  return areaStore<RegistryStore>(state, scope, AREA, () => ({
    groups: new Map(),
    packages: new Map(),
    tokens: new Map(),
  }));
}

export function packageStatus(pkg: ModelPackage, now: number): 'Pending' | 'InProgress' | 'Completed' | 'Failed' {
  const elapsed = now - pkg.creationTime;
  if (elapsed >= pkg.settleMs) return pkg.finalStatus;
  return elapsed < pkg.settleMs / 3 ? 'Pending' : 'InProgress';
}

export interface GroupRef {
  scope: Scope;
  name: string;
}

/** A group named by name (the caller's account and region) or by ARN (any account). */
export function groupRef(caller: Scope, nameOrArn: string): GroupRef | undefined {
  if (!nameOrArn.startsWith('arn:')) return { scope: caller, name: nameOrArn };
  const arn = parseArn(nameOrArn);
  if (!arn || arn.resource !== 'model-package-group') return undefined;
  return { scope: { account: arn.account, region: arn.region }, name: arn.path };
}

export function findGroup(state: EmulatorState, ref: GroupRef): ModelPackageGroup | undefined {
  return registryOf(state, ref.scope).groups.get(ref.name.toLowerCase());
}

/** Who acts, as a resource policy's Principal element sees them. */
export function principalOf(account: string, arn: string): TrustPrincipal {
  const role = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  if (role)
    return {
      type: 'assumed-role',
      accountId: account,
      roleArn: `arn:aws:iam::${account}:role/${role[2]}`,
      sessionArn: arn,
    };
  if (/^arn:aws:iam::\d{12}:role\//.test(arn))
    return { type: 'assumed-role', accountId: account, roleArn: arn, sessionArn: arn };
  return { type: 'user', accountId: account, arn };
}

/**
 * Same account: allowed (identity policies are not modelled). Another account: only when the
 * group's resource policy allows the action for that principal, as SageMaker enforces it.
 */
export function policyAllows(
  group: ModelPackageGroup,
  owner: Scope,
  principal: TrustPrincipal,
  action: string,
): boolean {
  if ((principal.type === 'user' || principal.type === 'assumed-role') && principal.accountId === owner.account)
    return true;
  if (!group.policy) return false;
  let document: PolicyDocument;
  try {
    document = JSON.parse(group.policy) as PolicyDocument;
  } catch {
    return false;
  }
  return evaluateTrustPolicy(document, { principal, action, context: {} }) === 'allow';
}

export interface NewPackage {
  description?: string | undefined;
  approvalStatus?: ApprovalStatus | undefined;
  fields: Record<string, unknown>;
  customerMetadata?: Record<string, string> | undefined;
  createdBy: Record<string, unknown>;
  finalStatus?: 'Completed' | 'Failed' | undefined;
  failureReason?: string | undefined;
  settleMs?: number | undefined;
}

/** Adds the next version to an existing group. */
export function createPackageVersion(
  state: EmulatorState,
  ref: GroupRef,
  group: ModelPackageGroup,
  input: NewPackage,
  now: number,
): ModelPackage {
  const store = registryOf(state, ref.scope);
  const key = group.name.toLowerCase();
  const versions = store.packages.get(key) ?? [];
  const version = versions.length === 0 ? 1 : (versions.at(-1) as ModelPackage).version + 1;
  // How validation ends is the scenario's to say, unless the caller decided already.
  const behaviour = state.scenario.modelPackage(group.name);
  const finalStatus = input.finalStatus ?? behaviour.status ?? 'Completed';
  const pkg: ModelPackage = {
    group: group.name,
    version,
    arn: `${arnOf(ref.scope, 'model-package', group.name)}/${version}`,
    description: input.description,
    approvalStatus: input.approvalStatus ?? 'PendingManualApproval',
    approvalDescription: undefined,
    fields: input.fields,
    customerMetadata: { ...(input.customerMetadata ?? {}) },
    creationTime: now,
    createdBy: input.createdBy,
    lastModifiedTime: undefined,
    lastModifiedBy: undefined,
    finalStatus,
    settleMs:
      input.settleMs ?? (behaviour.settleSeconds !== undefined ? behaviour.settleSeconds * 1000 : PACKAGE_SETTLE_MS),
    failureReason:
      finalStatus === 'Failed'
        ? (input.failureReason ?? behaviour.failureReason ?? 'Model package validation failed.')
        : undefined,
  };
  versions.push(pkg);
  store.packages.set(key, versions);
  modelPackageChanged(state, pkg, packageStatus(pkg, now), now);
  return pkg;
}

/** The package an ARN names, wherever it lives. */
export function findPackage(state: EmulatorState, arn: string): { pkg: ModelPackage; ref: GroupRef } | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.resource !== 'model-package') return undefined;
  const match = /^(.+)\/(\d+)$/.exec(parsed.path);
  if (!match) return undefined;
  const ref: GroupRef = { scope: { account: parsed.account, region: parsed.region }, name: match[1] ?? '' };
  const versions = registryOf(state, ref.scope).packages.get(ref.name.toLowerCase()) ?? [];
  const pkg = versions.find((p) => p.version === Number(match[2]));
  return pkg ? { pkg, ref } : undefined;
}

/**
 * What a pipeline's RegisterModel step does at its end: the package in the group its
 * Arguments name (which must exist; SageMaker does not create it). Returns the package ARN,
 * or the reason the step fails.
 */
export function registerFromPipeline(
  state: EmulatorState,
  pipelineScope: Scope,
  roleArn: string,
  args: Record<string, unknown>,
  now: number,
): { arn: string } | { failure: string } {
  const nameOrArn = args.ModelPackageGroupName;
  if (typeof nameOrArn !== 'string' || nameOrArn === '')
    return { failure: 'ClientError: ModelPackageGroupName is required to register a model.' };
  const ref = groupRef(pipelineScope, nameOrArn);
  const group = ref ? findGroup(state, ref) : undefined;
  if (!ref || !group) return { failure: `ClientError: Model Package Group ${nameOrArn} does not exist.` };
  if (!policyAllows(group, ref.scope, principalOf(pipelineScope.account, roleArn), 'sagemaker:CreateModelPackage')) {
    return {
      failure: `ClientError: User: ${roleArn} is not authorized to perform: sagemaker:CreateModelPackage on resource: ${group.arn}`,
    };
  }
  const status = args.ModelApprovalStatus;
  if (status !== undefined && !APPROVAL_STATUSES.includes(status as ApprovalStatus)) {
    return {
      failure: `ClientError: ModelApprovalStatus '${String(status)}' is not one of ${APPROVAL_STATUSES.join(', ')}.`,
    };
  }
  // Everything else the step passes is kept as the package's CreateModelPackage fields.
  const handledHere = new Set([
    'ModelPackageGroupName',
    'ModelApprovalStatus',
    'CustomerMetadataProperties',
    'ModelPackageDescription',
  ]);
  const fields = Object.fromEntries(Object.entries(args).filter(([key]) => !handledHere.has(key)));
  const description = args.ModelPackageDescription;
  const pkg = createPackageVersion(
    state,
    ref,
    group,
    {
      description: typeof description === 'string' ? description : undefined,
      approvalStatus: status as ApprovalStatus | undefined,
      fields,
      customerMetadata: args.CustomerMetadataProperties as Record<string, string> | undefined,
      createdBy: { IamIdentity: { Arn: roleArn } },
    },
    now,
  );
  return { arn: pkg.arn };
}
