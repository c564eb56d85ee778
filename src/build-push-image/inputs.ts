/**
 * Reads and checks every input before any AWS call or build, so a bad workflow fails in
 * milliseconds with nothing built, pushed or created.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveRegion } from '../runtime/aws-client.ts';
import { InputError } from '../runtime/errors.ts';
import { workspacePath, workspaceRoot } from '../runtime/workspace-files.ts';
import { booleanInput, choiceInput, listInput, optionalInput, requiredInput } from '../runtime/inputs.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';
import { existingProfileInput } from '../runtime/aws-inputs.ts';
import * as core from '@actions/core';
import { DIGEST_PATTERN, ecrHost, parseImageReference, TAG_PATTERN } from './references.ts';
import type { BasicCredentials } from './registry-client.ts';
import { dockerConfigCredentials, registryApiHost } from './source-registry.ts';

export const BUILDERS = ['auto', 'buildx', 'docker', 'buildah'] as const;
export type BuilderChoice = (typeof BUILDERS)[number];
export type IfExists = 'skip' | 'fail' | 'overwrite';
export type CacheKind = 'none' | 'gha' | 'registry';

export interface RepositorySettings {
  create: boolean;
  mutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  encryptionType: 'AES256' | 'KMS';
  kmsKey?: string;
}

export interface TargetInputs {
  repository: string;
  region: string;
  profile?: string;
  tags: string[];
  ifExists: IfExists;
  settings: RepositorySettings;
  sagemakerSafe: boolean;
}

export interface BuildInputs {
  operation: 'build';
  target: TargetInputs;
  workspace: string;
  context: string;
  file: string;
  buildArgs: [string, string][];
  buildTarget?: string;
  platforms: string[];
  labels: [string, string][];
  ociLabels: boolean;
  builder: BuilderChoice;
  cache: CacheKind;
  cacheTag: string;
}

export interface PromoteInputs {
  operation: 'promote';
  target: TargetInputs;
  source: {
    /** The host named in source-image; else the source account's registry. */
    host?: string;
    repository: string;
    digest: string;
    region: string;
    profile?: string;
    /** ECR (a token from GetAuthorizationToken), or any other registry of the distribution API. */
    registry: 'ecr' | 'distribution';
    /** For a distribution registry: basic credentials, and the input they came from; none for anonymous. */
    credentials?: BasicCredentials & { input: string };
  };
}

export type Inputs = BuildInputs | PromoteInputs;

const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const BUILD_STAGE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const KMS_KEY = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/+=,.@-]+|alias\/[\w/+=,.@-]+|[0-9a-f-]{36})$/;

function keyValueLines(input: string, keyPattern: RegExp, what: string): [string, string][] {
  return listInput(input, { lines: true }).map((line) => {
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!keyPattern.test(key)) {
      throw new InputError(
        input,
        `'${line}' is not ${what}=VALUE (one per line; ${what} must match ${keyPattern.source})`,
      );
    }
    return [key, line.slice(eq + 1)];
  });
}

function readTags(env = process.env): string[] {
  const tags: string[] = [];
  if (booleanInput('commit-sha-tag', true)) {
    const sha = env['GITHUB_SHA'];
    if (!sha)
      throw new InputError(
        'commit-sha-tag',
        'is true but GITHUB_SHA is not set (set commit-sha-tag: false and give tags)',
      );
    tags.push(sha);
  }
  for (const tag of listInput('tags')) {
    if (!TAG_PATTERN.test(tag)) {
      throw new InputError(
        'tags',
        `'${tag}' is not a valid image tag (1-128 letters, digits, _ . -, not starting with . or -)`,
      );
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length === 0)
    throw new InputError('tags', 'is empty and commit-sha-tag is false: the image needs at least one tag');
  return tags;
}

function readRepository(): string {
  const repository = requiredInput('repository');
  const first = repository.split('/')[0] ?? '';
  if (repository.includes('/') && (ecrHost(first) || first.includes(':') || first === 'localhost')) {
    throw new InputError(
      'repository',
      `'${repository}' is a repository URI; give the repository name only (what follows ${first}/)`,
    );
  }
  return checkAwsValue('repository', 'ecrRepositoryName', repository);
}

function readSettings(): RepositorySettings {
  const encryptionType = choiceInput('encryption-type', ['AES256', 'KMS'] as const, 'AES256');
  const kmsKey = optionalInput('kms-key');
  if (kmsKey !== undefined) {
    if (encryptionType !== 'KMS') throw new InputError('kms-key', 'is only used with encryption-type: KMS');
    if (!KMS_KEY.test(kmsKey)) throw new InputError('kms-key', `'${kmsKey}' is not a KMS key ARN, key id or alias`);
  }
  return {
    create: booleanInput('create-repository', true),
    mutability: choiceInput('image-tag-mutability', ['MUTABLE', 'IMMUTABLE'] as const, 'MUTABLE'),
    scanOnPush: booleanInput('scan-on-push', true),
    encryptionType,
    ...(kmsKey !== undefined ? { kmsKey } : {}),
  };
}

function readTarget(): TargetInputs {
  const repository = readRepository();
  const region = resolveRegion('aws-region', optionalInput('aws-region'));
  const profile = existingProfileInput('aws-profile');
  return {
    repository,
    region,
    ...(profile !== undefined ? { profile } : {}),
    tags: readTags(),
    ifExists: choiceInput('if-exists', ['skip', 'fail', 'overwrite'] as const, 'skip'),
    settings: readSettings(),
    sagemakerSafe: booleanInput('sagemaker-safe', true),
  };
}

function readPromote(target: TargetInputs): PromoteInputs {
  const text = optionalInput('source-image');
  if (text === undefined) {
    throw new InputError(
      'source-image',
      'is required with operation: promote (the image to copy, as <registry>/<repository>@sha256:<digest>)',
    );
  }
  const reference = parseImageReference(text);
  if (!reference) {
    throw new InputError(
      'source-image',
      `'${text}' is not an image reference ([<registry>/]<repository>@sha256:<digest>)`,
    );
  }
  if (reference.digest === undefined) {
    throw new InputError(
      'source-image',
      `'${text}' names no digest: promotion copies by digest (…@sha256:<64 hex digits>, e.g. the image-uri output of the build) so that what was tested is what ships; a tag can move`,
    );
  }
  if (!DIGEST_PATTERN.test(reference.digest)) {
    throw new InputError(
      'source-image',
      `'${reference.digest}' is not a sha256 digest (sha256:<64 lower-case hex digits>)`,
    );
  }
  const registry = sourceRegistryKind(reference.host);
  if (registry === 'distribution') {
    for (const input of ['source-aws-profile', 'source-aws-region']) {
      if (optionalInput(input) !== undefined)
        throw new InputError(input, `is only used for an ECR source; ${reference.host} is read over the registry API`);
    }
    const credentials = sourceCredentials(reference.host!);
    return {
      operation: 'promote',
      target,
      source: {
        host: reference.host!,
        repository: reference.repository,
        digest: reference.digest,
        region: target.region,
        registry,
        ...(credentials ? { credentials } : {}),
      },
    };
  }
  const sourceRegion =
    optionalInput('source-aws-region') !== undefined
      ? resolveRegion('source-aws-region', optionalInput('source-aws-region'))
      : (ecrHost(reference.host ?? '')?.region ?? target.region);
  const profile = existingProfileInput('source-aws-profile') ?? target.profile;
  return {
    operation: 'promote',
    target,
    source: {
      ...(reference.host !== undefined ? { host: reference.host } : {}),
      repository: reference.repository,
      digest: reference.digest,
      region: sourceRegion,
      ...(profile !== undefined ? { profile } : {}),
      registry,
    },
  };
}

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/**
 * auto: ECR when source-image names no registry or an ECR one (or a loopback one without
 * credentials, as the local emulator's ECR is); any other registry, or one given credentials,
 * is read over the distribution API.
 */
function sourceRegistryKind(host: string | undefined): 'ecr' | 'distribution' {
  const kind = choiceInput('source-registry', ['auto', 'ecr', 'distribution'] as const, 'auto');
  const credentialsGiven = ['source-username', 'source-password', 'source-docker-config'].find(
    (input) => optionalInput(input) !== undefined,
  );
  if (kind === 'ecr' && credentialsGiven)
    throw new InputError(
      credentialsGiven,
      'is not used with source-registry: ecr (ECR credentials come from source-aws-profile)',
    );
  if (kind === 'distribution' && host === undefined)
    throw new InputError(
      'source-image',
      'must name its registry (<registry>/<repository>@sha256:…) for source-registry: distribution',
    );
  if (kind !== 'auto') return kind;
  if (credentialsGiven) {
    if (host === undefined)
      throw new InputError(
        'source-image',
        `must name its registry (<registry>/<repository>@sha256:…) to use ${credentialsGiven}`,
      );
    return 'distribution';
  }
  if (host === undefined || ecrHost(host) || LOOPBACK_HOST.test(host)) return 'ecr';
  return 'distribution';
}

/** source-username and source-password, or source-docker-config; none means anonymous. */
function sourceCredentials(host: string): (BasicCredentials & { input: string }) | undefined {
  const username = optionalInput('source-username');
  const password = optionalInput('source-password');
  if (password !== undefined) core.setSecret(password);
  const file = optionalInput('source-docker-config');
  if (file !== undefined && (username !== undefined || password !== undefined))
    throw new InputError('source-docker-config', "cannot be given with input 'source-username' or 'source-password'");
  if (username !== undefined && password === undefined)
    throw new InputError('source-password', "is required with input 'source-username'");
  if (password !== undefined && username === undefined)
    throw new InputError('source-username', "is required with input 'source-password'");
  if (username !== undefined) return { username, password: password!, input: 'source-password' };
  if (file === undefined) return undefined;
  const path = workspacePath('source-docker-config', file, 'file', { runnerTemp: true }).absolute;
  const credentials = dockerConfigCredentials(
    readFileSync(path, 'utf8'),
    registryApiHost(host) === host ? host : 'docker.io',
    file,
  );
  core.setSecret(credentials.password);
  return { ...credentials, input: 'source-docker-config' };
}

function readBuild(target: TargetInputs, env = process.env): BuildInputs {
  for (const input of [
    'source-image',
    'source-aws-profile',
    'source-aws-region',
    'source-username',
    'source-password',
    'source-docker-config',
  ]) {
    if (optionalInput(input) !== undefined) throw new InputError(input, 'is only used with operation: promote');
  } // Its default (auto) comes from action.yml on every step; only another value is a mistake here.
  if ((optionalInput('source-registry') ?? 'auto') !== 'auto')
    throw new InputError('source-registry', 'is only used with operation: promote');

  const workspace = workspaceRoot(env);
  const contextValue = optionalInput('context') ?? '.';
  const context = workspacePath('context', contextValue, 'directory', { workspace, what: 'build context' }).absolute;
  const fileValue = optionalInput('file');
  const file =
    fileValue === undefined
      ? workspacePath('file', join(relative(workspace, context) || '.', 'Dockerfile'), 'file', {
          workspace,
          what: 'Dockerfile',
        }).absolute
      : workspacePath('file', fileValue, 'file', { workspace, what: 'Dockerfile' }).absolute;

  const platforms = listInput('platform');
  if (platforms.length === 0) platforms.push('linux/amd64');
  for (const platform of platforms) {
    if (!PLATFORM.test(platform))
      throw new InputError('platform', `'${platform}' is not a platform such as linux/amd64`);
  }
  const builder = choiceInput('builder', BUILDERS, 'auto');
  if (platforms.length > 1) {
    if (target.sagemakerSafe) {
      throw new InputError(
        'platform',
        `${platforms.length} platforms make an image index, which SageMaker rejects; build one platform, or set sagemaker-safe: false`,
      );
    }
    if (builder === 'docker' || builder === 'buildah') {
      throw new InputError('platform', `several platforms need builder buildx, not ${builder}`);
    }
  }
  const cache = choiceInput('cache', ['none', 'gha', 'registry'] as const, 'none');
  if (cache !== 'none' && (builder === 'docker' || builder === 'buildah')) {
    throw new InputError('cache', `cache: ${cache} needs builder buildx, not ${builder}`);
  }
  const cacheTag = optionalInput('cache-tag') ?? 'buildcache';
  if (!TAG_PATTERN.test(cacheTag)) throw new InputError('cache-tag', `'${cacheTag}' is not a valid image tag`);
  if (target.tags.includes(cacheTag) && cache === 'registry') {
    throw new InputError('cache-tag', `'${cacheTag}' is also an image tag; the cache needs a tag of its own`);
  }
  const buildTarget = optionalInput('build-target');
  if (buildTarget !== undefined && !BUILD_STAGE.test(buildTarget)) {
    throw new InputError('build-target', `'${buildTarget}' is not a build stage name`);
  }
  return {
    operation: 'build',
    target,
    workspace,
    context,
    file,
    buildArgs: keyValueLines('build-args', BUILD_ARG_NAME, 'NAME'),
    ...(buildTarget !== undefined ? { buildTarget } : {}),
    platforms,
    labels: keyValueLines('labels', LABEL_KEY, 'KEY'),
    ociLabels: booleanInput('oci-labels', true),
    builder,
    cache,
    cacheTag,
  };
}

export function readInputs(env = process.env): Inputs {
  const operation = choiceInput('operation', ['build', 'promote'] as const, 'build');
  const target = readTarget();
  return operation === 'promote' ? readPromote(target) : readBuild(target, env);
}
