import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { stableId, stableSecret } from './ids.ts';
import {
  authorizationMode,
  managedPolicies,
  PolicyWorldError,
  principalPolicies,
  type AuthorizationMode,
} from './iam/world-policies.ts';
import { policyProblem } from './trust-policy.ts';
import type { PolicyDocument, World } from './types.ts';

export interface LoadedAccount {
  id: string;
  alias: string | null;
}

export interface LoadedUser {
  accountId: string;
  name: string;
  arn: string;
  userId: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Identity policies: inline ones and the world's managed policies attached to the user. */
  policies: PolicyDocument[];
}

export interface LoadedRole {
  arn: string;
  accountId: string;
  name: string;
  roleId: string;
  maxSessionDuration: number;
  trustPolicy: PolicyDocument;
  /** Identity (permission) policies; sessions of the role act with these. */
  policies: PolicyDocument[];
}

export interface LoadedOidcProvider {
  accountId: string;
  /** Without scheme or trailing slash, as IAM keys providers. */
  url: string;
  arn: string;
  clientIds: string[];
}

export interface LoadedWorld {
  source: World;
  accounts: Map<string, LoadedAccount>;
  usersByAccessKey: Map<string, LoadedUser>;
  roles: Map<string, LoadedRole>;
  oidcProviders: LoadedOidcProvider[];
  /** iam: every signed request is authorised by IAM policies; allow-all: only trust and resource policies apply. */
  authorization: AuthorizationMode;
}

export class WorldError extends Error {}

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

export const emptyWorld = (): World => ({ accounts: [] });

/** Reads a world file; YAML is a superset of JSON, so one parser serves both. */
export async function readWorldFile(path: string): Promise<World> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new WorldError(`cannot read world file ${path}: ${(error as Error).message}`);
  }
  try {
    return parseYaml(text) as World;
  } catch (error) {
    throw new WorldError(`world file ${path} is not valid YAML/JSON: ${(error as Error).message}`);
  }
}

function fail(where: string, problem: string): never {
  throw new WorldError(`world: ${where} ${problem}`);
}

function asArray(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(where, 'must be a list');
  return value;
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'must be a mapping');
  return value as Record<string, unknown>;
}

function asString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') fail(where, 'must be a non-empty string');
  return value;
}

/** YAML turns an unquoted 111111111111 into a number; accept it as the digits it was meant as. */
function accountIdOf(value: unknown, where: string): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !ACCOUNT_ID.test(text)) fail(where, 'must be a 12-digit account id');
  return text;
}

export function normalizeProviderUrl(url: string): string {
  return url.replace(/^https:\/\//, '').replace(/\/+$/, '');
}

function parseTrustPolicy(value: unknown, where: string): PolicyDocument {
  let doc = value;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      fail(where, 'is not valid JSON');
    }
  }
  const record = asRecord(doc, where);
  if (record.Statement === undefined) fail(where, 'has no Statement');
  for (const [i, statement] of [record.Statement].flat().entries()) {
    const s = asRecord(statement, `${where}.Statement[${i}]`);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      fail(`${where}.Statement[${i}].Effect`, 'must be "Allow" or "Deny"');
  }
  const problem = policyProblem(record as unknown as PolicyDocument);
  if (problem) fail(where, problem);
  return record as unknown as PolicyDocument;
}

/** Validates a world and indexes it; every problem is reported with its path in the file. */
export function loadWorld(input: unknown): LoadedWorld {
  try {
    return indexWorld(input);
  } catch (error) {
    if (error instanceof PolicyWorldError) throw new WorldError(error.message);
    throw error;
  }
}

function indexWorld(input: unknown): LoadedWorld {
  const root = asRecord(input, 'root');
  const managed = managedPolicies(
    root.policies,
    new Set(
      asArray(root.accounts, 'accounts').map((a, i) =>
        accountIdOf(asRecord(a, `accounts[${i}]`).id, `accounts[${i}].id`),
      ),
    ),
  );
  const world: LoadedWorld = {
    source: root as unknown as World,
    accounts: new Map(),
    usersByAccessKey: new Map(),
    roles: new Map(),
    oidcProviders: [],
    authorization: authorizationMode(root.authorization),
  };

  for (const [i, raw] of asArray(root.accounts, 'accounts').entries()) {
    const where = `accounts[${i}]`;
    const account = asRecord(raw, where);
    const id = accountIdOf(account.id, `${where}.id`);
    if (world.accounts.has(id)) fail(`${where}.id`, `duplicates account ${id}`);
    const alias = account.alias === undefined ? null : asString(account.alias, `${where}.alias`);
    world.accounts.set(id, { id, alias });

    for (const [j, rawUser] of asArray(account.users, `${where}.users`).entries()) {
      const userWhere = `${where}.users[${j}]`;
      const user = asRecord(rawUser, userWhere);
      const name = asString(user.name, `${userWhere}.name`);
      const arn = `arn:aws:iam::${id}:user/${name}`;
      const accessKeyId =
        user.accessKeyId === undefined
          ? stableId('AKIA', arn, 16)
          : asString(user.accessKeyId, `${userWhere}.accessKeyId`);
      if (!ACCESS_KEY_ID.test(accessKeyId))
        fail(`${userWhere}.accessKeyId`, 'must be 16+ upper-case letters and digits');
      if (world.usersByAccessKey.has(accessKeyId)) fail(`${userWhere}.accessKeyId`, `duplicates ${accessKeyId}`);
      const secretAccessKey =
        user.secretAccessKey === undefined
          ? stableSecret(arn)
          : asString(user.secretAccessKey, `${userWhere}.secretAccessKey`);
      world.usersByAccessKey.set(accessKeyId, {
        accountId: id,
        name,
        arn,
        userId: stableId('AIDA', arn, 17),
        accessKeyId,
        secretAccessKey,
        policies: principalPolicies(user, userWhere, managed),
      });
    }
  }

  for (const [i, raw] of asArray(root.oidcProviders, 'oidcProviders').entries()) {
    const where = `oidcProviders[${i}]`;
    const provider = asRecord(raw, where);
    const accountId = accountIdOf(provider.account, `${where}.account`);
    if (!world.accounts.has(accountId)) fail(`${where}.account`, `names unknown account ${accountId}`);
    const url = normalizeProviderUrl(asString(provider.url, `${where}.url`));
    const clientIds =
      provider.clientIds === undefined ? ['sts.amazonaws.com'] : asArray(provider.clientIds, `${where}.clientIds`);
    world.oidcProviders.push({
      accountId,
      url,
      arn: `arn:aws:iam::${accountId}:oidc-provider/${url}`,
      clientIds: clientIds.map((c, k) => asString(c, `${where}.clientIds[${k}]`)),
    });
  }

  for (const [i, raw] of asArray(root.roles, 'roles').entries()) {
    const where = `roles[${i}]`;
    const role = asRecord(raw, where);
    const arn = asString(role.arn, `${where}.arn`);
    const match = ROLE_ARN.exec(arn);
    if (!match) fail(`${where}.arn`, `is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME): ${arn}`);
    const accountId = match[1] as string;
    if (!world.accounts.has(accountId)) fail(`${where}.arn`, `names unknown account ${accountId}`);
    if (world.roles.has(arn)) fail(`${where}.arn`, `duplicates ${arn}`);
    const maxSessionDuration = role.maxSessionDuration ?? 3600;
    if (
      typeof maxSessionDuration !== 'number' ||
      !Number.isInteger(maxSessionDuration) ||
      maxSessionDuration < 3600 ||
      maxSessionDuration > 43200
    ) {
      fail(`${where}.maxSessionDuration`, 'must be an integer number of seconds from 3600 to 43200');
    }
    world.roles.set(arn, {
      arn,
      accountId,
      name: match[2] as string,
      roleId: stableId('AROA', arn, 17),
      maxSessionDuration,
      trustPolicy: parseTrustPolicy(role.trustPolicy, `${where}.trustPolicy`),
      policies: principalPolicies(role, where, managed),
    });
  }
  return world;
}

/** A printable summary: what the CLI shows and GET /_emulator/world answers. */
export function describeWorld(world: LoadedWorld): {
  accounts: {
    id: string;
    alias: string | null;
    users: { name: string; arn: string; accessKeyId: string; secretAccessKey: string }[];
  }[];
  roles: string[];
  oidcProviders: string[];
} {
  const users = [...world.usersByAccessKey.values()];
  return {
    accounts: [...world.accounts.values()].map((account) => ({
      id: account.id,
      alias: account.alias,
      users: users
        .filter((u) => u.accountId === account.id)
        .map(({ name, arn, accessKeyId, secretAccessKey }) => ({ name, arn, accessKeyId, secretAccessKey })),
    })),
    roles: [...world.roles.keys()],
    oidcProviders: world.oidcProviders.map((p) => p.arn),
  };
}
