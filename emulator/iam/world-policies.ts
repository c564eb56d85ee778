import { policyProblem } from './policy.ts';
import type { PolicyDocument } from '../types.ts';

/**
 * The identity-policy part of a world file: managed-like policies at the top level (each an ARN
 * in its account), inline and attached policies on users and roles, and the authorization mode.
 */

export type AuthorizationMode = 'iam' | 'allow-all';

export class PolicyWorldError extends Error {}

function fail(where: string, problem: string): never {
  throw new PolicyWorldError(`world: ${where} ${problem}`);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'must be a mapping');
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(where, 'must be a list');
  return value;
}

function name(value: unknown, where: string): string {
  if (typeof value !== 'string' || !/^[\w+=,.@-]{1,128}$/.test(value))
    fail(where, 'must be a policy name (letters, digits and +=,.@-_, up to 128)');
  return value;
}

/** A policy document as an object or its JSON text; every statement checked for what IAM would refuse. */
export function identityDocument(value: unknown, where: string): PolicyDocument {
  let doc = value;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      fail(where, 'is not valid JSON');
    }
  }
  const parsed = record(doc, where);
  if (parsed.Statement === undefined) fail(where, 'has no Statement');
  for (const [i, statement] of [parsed.Statement].flat().entries()) record(statement, `${where}.Statement[${i}]`);
  const problem = policyProblem(parsed as unknown as PolicyDocument, 'identity');
  if (problem) fail(where, problem);
  return parsed as unknown as PolicyDocument;
}

export function authorizationMode(value: unknown): AuthorizationMode {
  if (value === undefined || value === 'iam') return 'iam';
  if (value === 'allow-all') return 'allow-all';
  fail('authorization', 'must be "iam" (the default: every request is authorised by IAM policies) or "allow-all"');
}

/** Top-level `policies:` as ARN → document. */
export function managedPolicies(value: unknown, accounts: Set<string>): Map<string, PolicyDocument> {
  const byArn = new Map<string, PolicyDocument>();
  for (const [i, raw] of list(value, 'policies').entries()) {
    const where = `policies[${i}]`;
    const entry = record(raw, where);
    const account = typeof entry.account === 'number' ? String(entry.account) : entry.account;
    if (typeof account !== 'string' || !accounts.has(account))
      fail(`${where}.account`, 'must name an account of the world');
    const arn = `arn:aws:iam::${account}:policy/${name(entry.name, `${where}.name`)}`;
    if (byArn.has(arn)) fail(where, `duplicates ${arn}`);
    byArn.set(arn, identityDocument(entry.document, `${where}.document`));
  }
  return byArn;
}

/** A user's or role's `policies:` (inline, each {name, document}) and `managedPolicies:` (ARNs). */
export function principalPolicies(
  holder: Record<string, unknown>,
  where: string,
  managed: Map<string, PolicyDocument>,
): PolicyDocument[] {
  const documents: PolicyDocument[] = [];
  const names = new Set<string>();
  for (const [i, raw] of list(holder.policies, `${where}.policies`).entries()) {
    const entryWhere = `${where}.policies[${i}]`;
    const entry = record(raw, entryWhere);
    const policyName = name(entry.name, `${entryWhere}.name`);
    if (names.has(policyName)) fail(`${entryWhere}.name`, `duplicates ${policyName}`);
    names.add(policyName);
    documents.push(identityDocument(entry.document, `${entryWhere}.document`));
  }
  for (const [i, raw] of list(holder.managedPolicies, `${where}.managedPolicies`).entries()) {
    const document = typeof raw === 'string' ? managed.get(raw) : undefined;
    if (!document) fail(`${where}.managedPolicies[${i}]`, `names no policy of the world's policies: ${String(raw)}`);
    documents.push(document);
  }
  return documents;
}
