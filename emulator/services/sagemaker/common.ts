import { randomBytes } from 'node:crypto';
import { AwsError } from '../../errors.ts';
import type { OperationContext } from '../../registry.ts';
import type { EmulatorState } from '../../state.ts';
import { JsonInput } from '../json-input.ts';
import { offsetPage, type Page } from '../paging.ts';

// What every SageMaker area shares: its errors, ARNs, per-area stores and list paging.

export const validation = (message: string) => new AwsError('ValidationException', message);
export const notFound = (message: string) => new AwsError('ResourceNotFound', message);
export const conflict = (message: string) => new AwsError('ConflictException', message);

/** A SageMaker input reader: constraint violations are ValidationException. */
export const inputOf = (context: OperationContext) => new JsonInput(context.input);

export interface Scope {
  account: string;
  region: string;
}

export function scopeOf(context: OperationContext): Scope {
  return { account: context.caller.accountId ?? 'anonymous', region: context.region };
}

/** SageMaker ARNs lower-case the resource name. */
export function arnOf(scope: Scope, resource: string, name: string): string {
  return `arn:aws:sagemaker:${scope.region}:${scope.account}:${resource}/${name.toLowerCase()}`;
}

export interface ParsedArn extends Scope {
  resource: string;
  /** Everything after "resource/". */
  path: string;
}

const SAGEMAKER_ARN = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/;

export function parseArn(arn: string): ParsedArn | undefined {
  const match = SAGEMAKER_ARN.exec(arn);
  if (!match) return undefined;
  return { region: match[1] ?? '', account: match[2] ?? '', resource: match[3] ?? '', path: match[4] ?? '' };
}

/**
 * Each SageMaker area (pipelines, model registry, hosting, tags) keeps its own bucket, so the
 * areas stay independent modules; the ":" keeps them apart from other services' buckets.
 */
export function areaStore<T>(state: EmulatorState, scope: Scope, area: string, init: () => T): T {
  return state.resources.bucket(scope.account, scope.region, `sagemaker:${area}`, init);
}

export function areaStores<T>(state: EmulatorState, area: string): { account: string; region: string; bucket: T }[] {
  return state.resources.bucketsOf<T>(`sagemaker:${area}`);
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** Pipeline execution ids: 12 lower-case letters and digits. */
export const executionId = () => randomFrom(LOWER_ALNUM, 12);
/** The random tail SageMaker pipelines append to job names. */
export const jobSuffix = () => randomFrom(MIXED_ALNUM, 10);

/** One page of a SageMaker list: MaxResults 1..100, default 10 as most lists document, NextToken opaque. */
export function listPage<T>(input: JsonInput, tag: string, items: T[], defaultLimit = 10): Page<T> {
  const limit = input.number('MaxResults') ?? defaultLimit;
  const token = input.string('NextToken');
  return offsetPage(items, { tag, token, limit, invalid: () => validation('Invalid pagination token.') });
}

/** "After"/"Before" filters arrive as epoch seconds. */
export function createdBetween(input: JsonInput): (time: number) => boolean {
  const after = input.number('CreatedAfter');
  const before = input.number('CreatedBefore');
  return (time) => (after === undefined || time > after * 1000) && (before === undefined || time < before * 1000);
}

export function sortOrder(input: JsonInput, fallback: 'Ascending' | 'Descending'): 'Ascending' | 'Descending' {
  return input.string<'Ascending' | 'Descending'>('SortOrder') ?? fallback;
}

/** Who did it, as SageMaker's UserContext reports an IAM caller. */
export function userContext(context: OperationContext): Record<string, unknown> {
  const caller = context.caller;
  if (caller.kind === 'anonymous') return {};
  return { IamIdentity: { Arn: caller.arn, PrincipalId: caller.userId } };
}

export function byTime<T>(time: (item: T) => number, order: 'Ascending' | 'Descending'): (a: T, b: T) => number {
  return order === 'Ascending' ? (a, b) => time(a) - time(b) : (a, b) => time(b) - time(a);
}
