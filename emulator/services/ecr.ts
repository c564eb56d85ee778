/**
 * Amazon ECR's control plane (awsJson1_1, AmazonEC2ContainerRegistry_V20150921), backed by
 * a real Distribution registry per account: repositories and their settings live here,
 * images live in the registry, and every image answer (DescribeImages, BatchGetImage,
 * PutImage) is read from or written to that registry, so the control plane and the
 * registry can never disagree. GetAuthorizationToken hands out the registry's basic-auth
 * password as ECR does ("AWS:<password>", base64) with the registry as proxyEndpoint.
 *
 * Which registry backs which account is set with POST /_emulator/ecr/registries
 * (EmulatorAdmin.setEcrRegistry). An account without one still has repositories, with
 * AWS-shaped URIs, but no images.
 *
 * Not modelled: IAM permission policies, lifecycle policies, scanning results, and tag
 * immutability for pushes that go straight to the registry (PutImage enforces it).
 */
import { AwsError } from '../errors.ts';
import type { Handler, OperationContext, ServiceDefinition } from '../registry.ts';
import {
  ALL_MANIFEST_TYPES,
  BackingRegistry,
  backingFor,
  isIndexType,
  MEDIA_TYPES,
  RegistryUnavailable,
  sha256Digest,
  type Backing,
  type ManifestRecord,
} from './ecr/backing.ts';
import { ensureGate, startedGateHost } from './ecr/registry-gate.ts';

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TOKEN_LIFETIME_MS = 12 * 3600 * 1000;

interface Repository {
  name: string;
  registryId: string;
  region: string;
  createdAt: Date;
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  encryption: { encryptionType: string; kmsKey?: string };
  /** When the control plane first saw each digest: the registry API has no push times. */
  seen: Map<string, Date>;
}

interface EcrBucket {
  repositories: Map<string, Repository>;
}

interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

function registryIdOf(context: OperationContext): string {
  return (context.input.registryId as string | undefined) ?? context.caller.accountId ?? '';
}

function bucketOf(context: OperationContext, registryId: string): EcrBucket {
  return context.state.resources.bucket<EcrBucket>(registryId, context.region, 'ecr', () => ({
    repositories: new Map(),
  }));
}

function invalid(field: string, problem: string): AwsError {
  return new AwsError(
    'InvalidParameterException',
    `Invalid parameter at '${field}' failed to satisfy constraint: '${problem}'`,
  );
}

function stringField(context: OperationContext, field: string): string {
  return context.input[field] as string;
}

function repositoryName(context: OperationContext): string {
  return stringField(context, 'repositoryName');
}

function notFound(name: string, registryId: string): AwsError {
  return new AwsError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
  );
}

function backingOf(context: OperationContext, registryId: string): Backing | undefined {
  return backingFor(context.state, registryId, context.region);
}

/** Under IAM authorization the registry is reached through its gate (ecr/registry-gate.ts). */
const gated = (context: OperationContext): boolean => context.state.world.authorization === 'iam';

function registryHost(context: OperationContext, registryId: string): string {
  const backing = backingOf(context, registryId);
  if (backing && gated(context)) return startedGateHost(context.state, backing) ?? backing.host;
  return backing?.host ?? `${registryId}.dkr.ecr.${context.region}.amazonaws.com`;
}

function describeRepository(context: OperationContext, repository: Repository): Record<string, unknown> {
  return {
    repositoryArn: `arn:aws:ecr:${repository.region}:${repository.registryId}:repository/${repository.name}`,
    registryId: repository.registryId,
    repositoryName: repository.name,
    repositoryUri: `${registryHost(context, repository.registryId)}/${repository.name}`,
    createdAt: repository.createdAt,
    imageTagMutability: repository.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: repository.encryption,
  };
}

/** The repository and the registry holding its images; errors as ECR words them. */
function repositoryOf(context: OperationContext): {
  repository: Repository;
  registry: BackingRegistry | undefined;
  registryId: string;
} {
  const registryId = registryIdOf(context);
  const name = repositoryName(context);
  const repository = bucketOf(context, registryId).repositories.get(name);
  if (!repository) throw notFound(name, registryId);
  const backing = backingOf(context, registryId);
  return { repository, registry: backing && new BackingRegistry(backing), registryId };
}

/** Registry trouble is the emulator's own fault (a test's setup), so it answers as a server error. */
async function fromRegistry<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RegistryUnavailable) throw new AwsError('ServerException', error.message, 500);
    throw error;
  }
}

function createRepository(context: OperationContext): Record<string, unknown> {
  const registryId = registryIdOf(context);
  const name = repositoryName(context);
  const mutability = (context.input.imageTagMutability as Repository['imageTagMutability'] | undefined) ?? 'MUTABLE';
  const scanning = (context.input.imageScanningConfiguration ?? {}) as { scanOnPush?: unknown };
  const encryptionInput = (context.input.encryptionConfiguration ?? { encryptionType: 'AES256' }) as {
    encryptionType?: unknown;
    kmsKey?: unknown;
  };
  const encryptionType = encryptionInput.encryptionType as string;
  if (encryptionInput.kmsKey !== undefined && encryptionType === 'AES256') {
    throw new AwsError(
      'InvalidParameterException',
      'Invalid parameter: kmsKey can only be specified when encryptionType is KMS',
    );
  }
  const encryption: Repository['encryption'] = { encryptionType };
  if (encryptionType !== 'AES256') {
    encryption.kmsKey =
      typeof encryptionInput.kmsKey === 'string'
        ? encryptionInput.kmsKey
        : `arn:aws:kms:${context.region}:${registryId}:alias/aws/ecr`;
  }
  const repositories = bucketOf(context, registryId).repositories;
  if (repositories.has(name)) {
    throw new AwsError(
      'RepositoryAlreadyExistsException',
      `The repository with name '${name}' already exists in the registry with id '${registryId}'`,
    );
  }
  const repository: Repository = {
    name,
    registryId,
    region: context.region,
    createdAt: context.state.clock.date(),
    imageTagMutability: mutability as Repository['imageTagMutability'],
    scanOnPush: scanning.scanOnPush === true,
    encryption,
    seen: new Map(),
  };
  repositories.set(name, repository);
  return { repository: describeRepository(context, repository) };
}

function describeRepositories(context: OperationContext): Record<string, unknown> {
  const registryId = registryIdOf(context);
  const repositories = bucketOf(context, registryId).repositories;
  const names = context.input.repositoryNames;
  let found: Repository[];
  if (Array.isArray(names) && names.length > 0) {
    found = names.map((name) => {
      const repository = repositories.get(String(name));
      if (!repository) throw notFound(String(name), registryId);
      return repository;
    });
  } else {
    found = [...repositories.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  const start = Number(context.input.nextToken ?? 0) || 0;
  const max = typeof context.input.maxResults === 'number' ? context.input.maxResults : 1000;
  const page = found.slice(start, start + max);
  return {
    repositories: page.map((repository) => describeRepository(context, repository)),
    ...(start + max < found.length ? { nextToken: String(start + max) } : {}),
  };
}

async function getAuthorizationToken(context: OperationContext): Promise<Record<string, unknown>> {
  const account = context.caller.accountId ?? '';
  const backing = backingOf(context, account);
  const expiresAt = Date.now() + TOKEN_LIFETIME_MS;
  if (backing && gated(context) && context.caller.kind !== 'anonymous') {
    // The token stands for this caller: the gate authorises each registry call as its ECR action.
    const gate = await ensureGate(context.state, backing);
    const password = gate.issue(context.caller, context.region, expiresAt);
    return {
      authorizationData: [
        {
          authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
          expiresAt: new Date(expiresAt),
          proxyEndpoint: gate.endpoint,
        },
      ],
    };
  }
  const user = backing?.username ?? 'AWS';
  // Without a backing registry there is nothing to log in to; the token is a well-formed stand-in.
  const password = backing?.password ?? `emulator-${account}-${context.region}`;
  return {
    authorizationData: [
      {
        authorizationToken: Buffer.from(`${user}:${password}`).toString('base64'),
        expiresAt: new Date(expiresAt),
        proxyEndpoint: backing?.endpoint ?? `https://${account}.dkr.ecr.${context.region}.amazonaws.com`,
      },
    ],
  };
}

function imageIdsOf(context: OperationContext): ImageId[] | undefined {
  const ids = context.input.imageIds;
  if (ids === undefined) return undefined;
  return (ids as unknown[]).map((raw, i) => {
    const id = (raw ?? {}) as Record<string, unknown>;
    const imageDigest = typeof id.imageDigest === 'string' ? id.imageDigest : undefined;
    const imageTag = typeof id.imageTag === 'string' ? id.imageTag : undefined;
    if (!imageDigest && !imageTag) throw invalid(`imageIds.${i + 1}`, 'an image id needs imageDigest or imageTag');
    return { ...(imageDigest ? { imageDigest } : {}), ...(imageTag ? { imageTag } : {}) };
  });
}

function imageIdText(id: ImageId): string {
  return `{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}`;
}

function imageNotFound(id: ImageId, repository: Repository): AwsError {
  return new AwsError(
    'ImageNotFoundException',
    `The image with imageId ${imageIdText(id)} does not exist within the repository with name '${repository.name}' in the registry with id '${repository.registryId}'`,
  );
}

function parseManifest(body: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new AwsError(
    'InvalidParameterException',
    'Invalid parameter at imageManifest: the manifest is not a JSON object',
  );
}

interface Descriptor {
  digest?: string;
  size?: number;
  mediaType?: string;
}

/** ECR's imageSizeInBytes: the compressed layers of an image; for an index, its largest image. */
async function imageSize(registry: BackingRegistry, repository: string, manifest: ManifestRecord): Promise<number> {
  const parsed = JSON.parse(manifest.body) as { layers?: Descriptor[]; manifests?: Descriptor[] };
  if (!isIndexType(manifest.mediaType)) return (parsed.layers ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0);
  let largest = 0;
  for (const child of parsed.manifests ?? []) {
    if (!child.digest) continue;
    const record = await registry.manifest(repository, child.digest);
    if (record) largest = Math.max(largest, await imageSize(registry, repository, record));
  }
  return largest;
}

function artifactMediaType(manifest: ManifestRecord): string | undefined {
  const parsed = JSON.parse(manifest.body) as { config?: Descriptor };
  return parsed.config?.mediaType;
}

function firstSeen(repository: Repository, digest: string, context: OperationContext): Date {
  let when = repository.seen.get(digest);
  if (!when) {
    when = context.state.clock.date();
    repository.seen.set(digest, when);
  }
  return when;
}

async function describeImages(context: OperationContext): Promise<Record<string, unknown>> {
  const { repository, registry } = repositoryOf(context);
  const ids = imageIdsOf(context);
  if (!registry) {
    if (ids && ids.length > 0) throw imageNotFound(ids[0]!, repository);
    return { imageDetails: [] };
  }
  return fromRegistry(async () => {
    const tagDigests = await registry.tagDigests(repository.name);
    const tagsOf = (digest: string): string[] =>
      [...tagDigests]
        .filter(([, d]) => d === digest)
        .map(([tag]) => tag)
        .sort();
    let digests: string[];
    if (ids && ids.length > 0) {
      digests = [];
      for (const id of ids) {
        const digest = id.imageTag ? tagDigests.get(id.imageTag) : id.imageDigest;
        const exists = digest && (id.imageTag || (await registry.manifest(repository.name, digest)));
        if (!digest || !exists || (id.imageDigest && id.imageDigest !== digest)) throw imageNotFound(id, repository);
        if (!digests.includes(digest)) digests.push(digest);
      }
    } else {
      const status = (context.input.filter as { tagStatus?: string } | undefined)?.tagStatus ?? 'ANY';
      const tagged = [...new Set(tagDigests.values())];
      const untagged = [...repository.seen.keys()].filter((digest) => !tagged.includes(digest));
      digests = status === 'TAGGED' ? tagged : status === 'UNTAGGED' ? untagged : [...tagged, ...untagged];
    }
    const imageDetails: Record<string, unknown>[] = [];
    for (const digest of digests) {
      const manifest = await registry.manifest(repository.name, digest);
      if (!manifest) continue;
      const tags = tagsOf(digest);
      const artifact = artifactMediaType(manifest);
      imageDetails.push({
        registryId: repository.registryId,
        repositoryName: repository.name,
        imageDigest: digest,
        ...(tags.length > 0 ? { imageTags: tags } : {}),
        imageSizeInBytes: await imageSize(registry, repository.name, manifest),
        imagePushedAt: firstSeen(repository, digest, context),
        imageManifestMediaType: manifest.mediaType,
        ...(artifact ? { artifactMediaType: artifact } : {}),
      });
    }
    return { imageDetails };
  });
}

async function batchGetImage(context: OperationContext): Promise<Record<string, unknown>> {
  const { repository, registry } = repositoryOf(context);
  const ids = imageIdsOf(context) ?? [];
  const acceptedInput = context.input.acceptedMediaTypes;
  const accepted =
    Array.isArray(acceptedInput) && acceptedInput.length > 0 ? acceptedInput.map(String) : ALL_MANIFEST_TYPES;
  const images: Record<string, unknown>[] = [];
  const failures: Record<string, unknown>[] = [];
  const fail = (id: ImageId, failureCode: string, failureReason: string): void => {
    failures.push({ imageId: id, failureCode, failureReason });
  };
  await fromRegistry(async () => {
    for (const id of ids) {
      const reference = id.imageTag ?? id.imageDigest!;
      if (id.imageDigest && !DIGEST.test(id.imageDigest)) {
        fail(id, 'InvalidImageDigest', 'Invalid image digest');
        continue;
      }
      if (id.imageTag && !TAG.test(id.imageTag)) {
        fail(id, 'InvalidImageTag', 'Invalid image tag');
        continue;
      }
      const manifest = registry ? await registry.manifest(repository.name, reference, ALL_MANIFEST_TYPES) : undefined;
      if (!manifest) {
        fail(id, 'ImageNotFound', 'Requested image not found');
        continue;
      }
      if (id.imageDigest && id.imageTag && manifest.digest !== id.imageDigest) {
        fail(id, 'ImageTagDoesNotMatchDigest', 'Image tag does not match digest');
        continue;
      }
      if (!accepted.includes(manifest.mediaType)) {
        fail(id, 'UnsupportedImageType', `Manifest media type ${manifest.mediaType} is not accepted`);
        continue;
      }
      firstSeen(repository, manifest.digest, context);
      images.push({
        registryId: repository.registryId,
        repositoryName: repository.name,
        imageId: { imageDigest: manifest.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
        imageManifest: manifest.body,
        imageManifestMediaType: manifest.mediaType,
      });
    }
  });
  return { images, failures };
}

function missingDigests(details: unknown[]): string[] {
  return details
    .map((detail) => (detail as { digest?: string } | undefined)?.digest)
    .filter((digest): digest is string => typeof digest === 'string');
}

async function putImage(context: OperationContext): Promise<Record<string, unknown>> {
  const { repository, registry, registryId } = repositoryOf(context);
  const body = stringField(context, 'imageManifest');
  const parsed = parseManifest(body);
  const mediaType =
    typeof context.input.imageManifestMediaType === 'string'
      ? context.input.imageManifestMediaType
      : typeof parsed.mediaType === 'string'
        ? parsed.mediaType
        : MEDIA_TYPES.dockerManifest;
  if (![...ALL_MANIFEST_TYPES, MEDIA_TYPES.dockerV1Signed].some((known) => known === mediaType)) {
    throw new AwsError('UnsupportedImageTypeException', `Invalid parameter at 'imageManifestMediaType': ${mediaType}`);
  }
  const digest = sha256Digest(body);
  const givenDigest = context.input.imageDigest;
  if (givenDigest !== undefined && givenDigest !== digest) {
    throw new AwsError(
      'ImageDigestDoesNotMatchException',
      `The digest ${String(givenDigest)} does not match the manifest's digest ${digest}`,
    );
  }
  const tag = context.input.imageTag;
  if (tag !== undefined && (typeof tag !== 'string' || !TAG.test(tag))) {
    throw invalid('imageTag', `must satisfy regular expression '${TAG.source}'`);
  }
  if (!registry) {
    throw new AwsError(
      'LayersNotFoundException',
      `No registry backs account ${registryId} in the emulator (POST /_emulator/ecr/registries), so no layers exist`,
    );
  }
  return fromRegistry(async () => {
    if (tag !== undefined) {
      const current = await registry.manifest(repository.name, tag);
      if (current?.digest === digest) {
        throw new AwsError(
          'ImageAlreadyExistsException',
          `Image with digest '${digest}' and tag '${tag}' already exists in the repository with name '${repository.name}' in registry with id '${registryId}'`,
        );
      }
      if (current && repository.imageTagMutability === 'IMMUTABLE') {
        throw new AwsError(
          'ImageTagAlreadyExistsException',
          `The image tag '${tag}' already exists in the '${repository.name}' repository and cannot be overwritten because the repository is immutable.`,
        );
      }
    }
    const answer = await registry.putManifest(repository.name, tag ?? digest, mediaType, body);
    if (!answer.ok) {
      const { failure } = answer;
      const missing = missingDigests(failure.details);
      if (
        isIndexType(mediaType) &&
        (failure.codes.includes('MANIFEST_BLOB_UNKNOWN') || failure.codes.includes('MANIFEST_UNKNOWN'))
      ) {
        throw new AwsError(
          'ReferencedImagesNotFoundException',
          `Manifests with digests '[${missing.join(', ')}]' required for pushing image into repository with name '${repository.name}' in registry with id '${registryId}' do not exist`,
        );
      }
      if (failure.codes.includes('MANIFEST_BLOB_UNKNOWN') || failure.codes.includes('BLOB_UNKNOWN')) {
        throw new AwsError(
          'LayersNotFoundException',
          `Layers with digests '[${missing.join(', ')}]' required for pushing image into repository with name '${repository.name}' in registry with id '${registryId}' do not exist`,
        );
      }
      throw new AwsError(
        'InvalidParameterException',
        `Invalid parameter at 'imageManifest': the registry answered ${failure.status} ${failure.codes.join(', ')}`,
      );
    }
    firstSeen(repository, digest, context);
    return {
      image: {
        registryId,
        repositoryName: repository.name,
        imageId: { imageDigest: digest, ...(tag !== undefined ? { imageTag: tag } : {}) },
        imageManifest: body,
        imageManifestMediaType: mediaType,
      },
    };
  });
}

/** Under IAM authorization the gate of the registry a call names is up before the answer names its host. */
function withGate(handler: Handler): Handler {
  return async (context) => {
    if (gated(context) && context.caller.accountId !== null) {
      const registryId =
        typeof context.input.registryId === 'string' ? context.input.registryId : context.caller.accountId;
      const backing = backingOf(context, registryId);
      if (backing) await ensureGate(context.state, backing);
    }
    return handler(context);
  };
}

export function createEcrService(): ServiceDefinition {
  return {
    name: 'ecr',
    protocol: 'awsJson1_1',
    targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
    operations: Object.fromEntries(
      Object.entries({
        CreateRepository: createRepository,
        DescribeRepositories: describeRepositories,
        GetAuthorizationToken: getAuthorizationToken,
        DescribeImages: describeImages,
        BatchGetImage: batchGetImage,
        PutImage: putImage,
      }).map(([name, handler]) => [name, withGate(handler)]),
    ),
  };
}
