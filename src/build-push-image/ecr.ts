/**
 * The ECR control-plane calls: log in (GetAuthorizationToken), find or create the
 * repository, and look up tags with the manifests they name (BatchGetImage), which is also
 * how a push is read back.
 *
 * Everything about where the registry is comes from ECR's answers (proxyEndpoint,
 * repositoryUri), so the same code pushes to <account>.dkr.ecr.<region>.amazonaws.com on
 * AWS and to the registry the local emulator points at.
 */
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  type Repository,
} from '@aws-sdk/client-ecr';
import * as core from '@actions/core';
import { createClient } from '../runtime/aws-client.ts';
import { ActionError, awsErrorCode, describeError, InputError } from '../runtime/errors.ts';
import { isNotFound } from '../runtime/not-found.ts';
import type { RepositorySettings } from './inputs.ts';
import { MANIFEST_TYPES } from './media-types.ts';
import { splitRepositoryUri } from './references.ts';
import {
  endpointFor,
  RegistryAuthError,
  RegistryClient,
  RegistryError,
  type RegistryEndpoint,
} from './registry-client.ts';

export interface AccountAccess {
  region: string;
  profile?: string;
  /** The input that chose these credentials, named when they are refused. */
  credentialsInput: string;
}

export interface RegistryLogin {
  endpoint: RegistryEndpoint;
  username: string;
  password: string;
  /** base64("AWS:<password>"), what docker config.json keeps as "auth". */
  token: string;
  proxyEndpoint: string;
}

// Codes AWS answers with when the credentials themselves are the problem.
const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'AccessDeniedException',
  'AccessDenied',
  'CredentialsProviderError',
]);

export function ecrClient(access: AccountAccess): ECRClient {
  return createClient(ECRClient, { region: access.region, ...(access.profile ? { profile: access.profile } : {}) });
}

function whose(access: AccountAccess): string {
  return access.profile
    ? `the credentials of profile '${access.profile}'`
    : "the job's AWS credentials (no profile given)";
}

/** Credential refusals name the input that picked the credentials; anything else stays as it was. */
export function explainCredentials(error: unknown, access: AccountAccess, doing: string): Error {
  const code = awsErrorCode(error) ?? (error instanceof Error ? error.name : undefined);
  if (code && CREDENTIAL_ERRORS.has(code)) {
    return new InputError(access.credentialsInput, `${whose(access)} could not ${doing}: ${describeError(error)}`);
  }
  if (error instanceof InputError || error instanceof ActionError) return error;
  return new ActionError(`${doing}: ${describeError(error)}`, { cause: error });
}

/** GetAuthorizationToken, masked the moment it arrives. */
export async function login(client: ECRClient, access: AccountAccess, host?: string): Promise<RegistryLogin> {
  let data;
  try {
    data = (await client.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
  } catch (error) {
    throw explainCredentials(error, access, 'get an ECR authorization token (ecr:GetAuthorizationToken)');
  }
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new ActionError('ECR answered without an authorization token');
  }
  const token = data.authorizationToken;
  core.setSecret(token);
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  core.setSecret(password);
  const proxyHost = new URL(data.proxyEndpoint).host;
  const endpoint = endpointFor(host ?? proxyHost, data.proxyEndpoint);
  return { endpoint, username, password, token, proxyEndpoint: data.proxyEndpoint };
}

/**
 * Runs a first registry call with a login; a refusal of the token names the input that chose
 * the credentials. Every step makes one such call (GET /v2/, or the source manifest) before
 * it changes anything.
 */
export async function withLogin<T>(login: RegistryLogin, access: AccountAccess, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RegistryAuthError) {
      // 401: the token itself; 403: the token's principal may not do this (ECR says which action).
      throw new InputError(
        access.credentialsInput,
        `registry ${login.endpoint.host} refused (HTTP ${error.status}) the ECR authorization token from ${whose(access)}${error.status === 403 ? `: ${error.message}` : ''}`,
      );
    }
    if (error instanceof RegistryError) {
      throw new ActionError(`registry ${login.endpoint.host}: ${describeError(error)}`, { cause: error });
    }
    throw error;
  }
}

/** GET /v2/: proves the registry is there and takes the token. */
export function checkLogin(login: RegistryLogin, access: AccountAccess): Promise<void> {
  return withLogin(login, access, () => registryOf(login).ping());
}

export function registryOf(login: RegistryLogin): RegistryClient {
  return new RegistryClient(login.endpoint, { username: login.username, password: login.password });
}

export interface RepositoryInfo {
  name: string;
  uri: string;
  host: string;
  registryId: string;
  mutability: string;
  created: boolean;
}

function repositoryInfo(repository: Repository | undefined, created: boolean): RepositoryInfo {
  if (!repository?.repositoryUri || !repository.repositoryName) {
    throw new ActionError('ECR described the repository without its URI');
  }
  return {
    name: repository.repositoryName,
    uri: repository.repositoryUri,
    host: splitRepositoryUri(repository.repositoryUri).host,
    registryId: repository.registryId ?? '',
    mutability: repository.imageTagMutability ?? 'MUTABLE',
    created,
  };
}

/** The repository as ECR describes it, or undefined when it does not exist. */
export async function describeRepository(
  client: ECRClient,
  access: AccountAccess,
  name: string,
): Promise<RepositoryInfo | undefined> {
  try {
    const found = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return repositoryInfo(found.repositories?.[0], false);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw explainCredentials(error, access, `describe repository ${name} (ecr:DescribeRepositories)`);
  }
}

/** CreateRepository with the given settings (or the one another job created meanwhile). */
export async function createRepository(
  client: ECRClient,
  access: AccountAccess,
  name: string,
  settings: RepositorySettings,
): Promise<RepositoryInfo> {
  if (!settings.create) {
    throw new ActionError(`repository ${name} does not exist in ECR and create-repository is false`);
  }
  try {
    const created = await client.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        imageTagMutability: settings.mutability,
        imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
        encryptionConfiguration: {
          encryptionType: settings.encryptionType,
          ...(settings.kmsKey ? { kmsKey: settings.kmsKey } : {}),
        },
      }),
    );
    core.info(`Created ECR repository ${name} (tags ${settings.mutability}, scan on push ${settings.scanOnPush})`);
    return repositoryInfo(created.repository, true);
  } catch (error) {
    if (awsErrorCode(error) === 'RepositoryAlreadyExistsException') {
      const found = await describeRepository(client, access, name);
      if (found) return found;
    }
    throw explainCredentials(error, access, `create repository ${name} (ecr:CreateRepository)`);
  }
}

export interface TaggedImage {
  digest: string;
  /** The manifest exactly as ECR holds it. */
  manifest: string;
  mediaType: string;
}

/** What each of these tags names now, manifest included, for those that exist (none when the repository does not). */
export async function imagesByTag(
  client: ECRClient,
  access: AccountAccess,
  repository: string,
  tags: string[],
): Promise<Map<string, TaggedImage>> {
  const found = new Map<string, TaggedImage>();
  if (tags.length === 0) return found;
  let answer;
  try {
    answer = await client.send(
      new BatchGetImageCommand({
        repositoryName: repository,
        imageIds: tags.map((imageTag) => ({ imageTag })),
        acceptedMediaTypes: MANIFEST_TYPES,
      }),
    );
  } catch (error) {
    if (isNotFound(error)) return found;
    throw explainCredentials(error, access, `read the tags of ${repository} (ecr:BatchGetImage)`);
  }
  for (const image of answer.images ?? []) {
    const { imageTag, imageDigest } = image.imageId ?? {};
    if (imageTag && imageDigest) {
      found.set(imageTag, {
        digest: imageDigest,
        manifest: image.imageManifest ?? '',
        mediaType: image.imageManifestMediaType ?? '',
      });
    }
  }
  const unexpected = (answer.failures ?? []).filter((f) => f.failureCode !== 'ImageNotFound');
  if (unexpected.length > 0) {
    const problems = unexpected.map((f) => `${f.imageId?.imageTag}: ${f.failureCode} ${f.failureReason ?? ''}`);
    throw new ActionError(`reading tags of ${repository}: ${problems.join('; ')}`);
  }
  return found;
}

/** The digest each of these tags names now, for those that exist. */
export async function existingTags(
  client: ECRClient,
  access: AccountAccess,
  repository: string,
  tags: string[],
): Promise<Map<string, string>> {
  const images = await imagesByTag(client, access, repository, tags);
  return new Map([...images].map(([tag, image]) => [tag, image.digest]));
}
