/** Shared setup for the emulator's own tests: a small world, SDK clients, raw signed calls. */
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { EmulatorAdmin, type World } from '../emulator/admin-client.ts';
import type { ServiceDefinition } from '../emulator/registry.ts';
import { startEmulator, type RunningEmulator } from '../emulator/server.ts';

export const A = '111111111111';
export const B = '222222222222';
export const C = '333333333333';
export const GITHUB = 'token.actions.githubusercontent.com';
export const REPO = 'example-org/ml-pipelines';

export const ALICE = {
  accessKeyId: 'AKIAALICE00000000001',
  secretAccessKey: 'alice/secret/key/for/emulator/tests/0001',
};
export const MALLORY = {
  accessKeyId: 'AKIAMALLORY000000001',
  secretAccessKey: 'mallory/secret/key/for/emulator/test/001',
};

export const ROLE = {
  deploy: `arn:aws:iam::${A}:role/github-deploy`,
  hub: `arn:aws:iam::${A}:role/hub`,
  deployer: `arn:aws:iam::${B}:role/deployer`,
  noTags: `arn:aws:iam::${B}:role/no-tags`,
  guarded: `arn:aws:iam::${B}:role/guarded`,
  orphan: `arn:aws:iam::${C}:role/github-orphan`,
};

export const world: World = {
  authorization: 'allow-all',
  accounts: [
    {
      id: A,
      alias: 'dev',
      users: [
        { name: 'alice', ...ALICE },
        { name: 'mallory', ...MALLORY },
      ],
    },
    { id: B, alias: 'prod' },
    { id: C, alias: 'no-provider' },
  ],
  oidcProviders: [{ account: A, url: GITHUB, clientIds: ['sts.amazonaws.com'] }],
  roles: [
    {
      arn: ROLE.deploy,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${A}:oidc-provider/${GITHUB}` },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { [`${GITHUB}:aud`]: 'sts.amazonaws.com' },
              StringLike: { [`${GITHUB}:sub`]: `repo:${REPO}:ref:refs/heads/main` },
            },
          },
        ],
      },
    },
    {
      arn: ROLE.hub,
      maxSessionDuration: 7200,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: [ROLE.deploy, `arn:aws:iam::${A}:user/alice`] },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
          },
        ],
      },
    },
    {
      arn: ROLE.deployer,
      maxSessionDuration: 43200,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ROLE.hub },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Condition: { StringEquals: { 'sts:ExternalId': 'mlops-prod' } },
          },
        ],
      },
    },
    {
      arn: ROLE.noTags,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: [ROLE.hub, A] }, Action: 'sts:AssumeRole' }],
      },
    },
    {
      arn: ROLE.guarded,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:*' },
          { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${A}:user/mallory` }, Action: 'sts:AssumeRole' },
        ],
      },
    },
    {
      arn: ROLE.orphan,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${C}:oidc-provider/${GITHUB}` },
            Action: 'sts:AssumeRoleWithWebIdentity',
          },
        ],
      },
    },
  ],
};

export interface TestEmulator {
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  endpoint: string;
}

/** One emulator per test file, back to `world` and nothing else before every test. */
export function useTestEmulator(options: { services?: ServiceDefinition[] } = {}): TestEmulator {
  const handle = {} as TestEmulator;
  beforeAll(async () => {
    handle.emulator = await startEmulator({
      port: 0,
      world,
      ...(options.services ? { services: options.services } : {}),
    });
    handle.endpoint = handle.emulator.endpoint;
    handle.admin = new EmulatorAdmin(handle.endpoint);
  });
  beforeEach(async () => {
    // Loading the world also resets sessions, resources, calls, faults and OIDC requests.
    await handle.admin.loadWorld(world);
  });
  afterAll(async () => {
    await handle.emulator.close();
  });
  return handle;
}

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const clients: STSClient[] = [];

export function sts(endpoint: string, credentials?: Keys, extra: Partial<STSClientConfig> = {}): STSClient {
  const client = new STSClient({
    region: 'us-east-1',
    endpoint,
    ...(credentials ? { credentials } : {}),
    ...extra,
  });
  clients.push(client);
  return client;
}

afterAll(() => {
  for (const client of clients.splice(0)) client.destroy();
});

export function keysOf(
  credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined,
): Keys {
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error('no credentials in response');
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
  };
}

/** Resolves to the rejection, failing the test when the promise succeeds. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; Code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** A SigV4-signed POST as an SDK would send it, for protocols no installed client speaks. */
export async function signedPost(
  endpoint: string,
  options: {
    keys: Keys;
    service: string;
    headers: Record<string, string>;
    body: string;
    region?: string;
    date?: Date;
    /** Send this instead of the signed body, to prove tampering is caught. */
    sendBody?: string;
  },
): Promise<Response> {
  const url = new URL(endpoint);
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, ...options.headers },
    body: options.body,
  });
  const signer = new SignatureV4({
    credentials: options.keys,
    region: options.region ?? 'us-east-1',
    service: options.service,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(request, options.date ? { signingDate: options.date } : {});
  const headers = { ...signed.headers };
  delete headers.host;
  return fetch(`${endpoint}/`, { method: 'POST', headers, body: options.sendBody ?? options.body });
}

/** What @actions/core getIDToken does: GET the request URL with the bearer token and an audience. */
export async function fetchIdToken(
  admin: EmulatorAdmin,
  claims: Record<string, unknown>,
  audience?: string,
): Promise<string> {
  const { requestUrl, requestToken } = await admin.issueOidcRequest(claims);
  const url = audience === undefined ? requestUrl : `${requestUrl}&audience=${encodeURIComponent(audience)}`;
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return ((await response.json()) as { value: string }).value;
}
