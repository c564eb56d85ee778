import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ECRClient } from '@aws-sdk/client-ecr';
import * as core from '@actions/core';
import { ActionError, describeError, InputError } from '../runtime/errors.ts';
import { githubContext } from '../runtime/github-context.ts';
import { formatBytes } from '../runtime/log-lines.ts';
import { SummaryBuilder, type Cell } from '../runtime/summary.ts';
import { REGISTRY_AUTH_FOLDER_STATE, makeAuthFolder, removeAuthFolder, writeAuthFolder } from './auth-files.ts';
import {
  chooseBuilder,
  digestFromBuildxMetadata,
  digestFromDockerPush,
  invocations,
  type Builder,
  type BuildPlan,
} from './builders.ts';
import { copyByDigest, imageSize, putTags, type CopyStats } from './copy.ts';
import {
  checkLogin,
  createRepository,
  describeRepository,
  ecrClient,
  existingTags,
  imagesByTag,
  login,
  registryOf,
  type AccountAccess,
  type RegistryLogin,
  type RepositoryInfo,
  withLogin,
} from './ecr.ts';
import { readInputs, type BuildInputs, type PromoteInputs, type TargetInputs } from './inputs.ts';
import { mergeLabels, ociLabels } from './labels.ts';
import { parseManifest, sagemakerProblem } from './media-types.ts';
import {
  endpointFor,
  RegistryAuthError,
  RegistryClient,
  RegistryError,
  type ManifestResponse,
} from './registry-client.ts';
import { apiRepository, registryApiHost } from './source-registry.ts';
import { mustRun } from './run-command.ts';
import { planTags, type TagPlan } from './tag-plan.ts';

export const ACTION_NAME = 'build-push-image';

type Result = 'built' | 'skipped' | 'promoted' | 'already-present';

interface Outcome {
  result: Result;
  repository: RepositoryInfo;
  digest: string;
  mediaType: string;
  /** ECR's imageSizeInBytes: compressed layers; for an index, its largest image. */
  size: number | undefined;
  tags: string[];
  kept: string[];
}

function targetAccess(target: TargetInputs): AccountAccess {
  return {
    region: target.region,
    ...(target.profile ? { profile: target.profile } : {}),
    credentialsInput: 'aws-profile',
  };
}

function checkSageMaker(sagemakerSafe: boolean, mediaType: string, image: string): void {
  if (!sagemakerSafe) return;
  const problem = sagemakerProblem(mediaType);
  if (problem) {
    throw new ActionError(`${image} cannot be used by SageMaker: ${problem} (set sagemaker-safe: false to accept it)`);
  }
}

/** The target repository and its tags, read at once; the repository is created later, after every check. */
async function inspectTarget(
  client: ECRClient,
  access: AccountAccess,
  target: TargetInputs,
): Promise<{ found: RepositoryInfo | undefined; existing: Map<string, string> }> {
  const [found, existing] = await Promise.all([
    describeRepository(client, access, target.repository),
    existingTags(client, access, target.repository, target.tags),
  ]);
  return { found, existing };
}

/** The target repository's registry, with the token from the target account. */
function targetRegistry(repository: RepositoryInfo, login: RegistryLogin): RegistryClient {
  return new RegistryClient(endpointFor(repository.host, login.proxyEndpoint), {
    username: login.username,
    password: login.password,
  });
}

/**
 * Reads the image back through ECR's control plane once everything is pushed: every tag meant
 * for the image must name it, and the manifest ECR holds must be one SageMaker can pull.
 */
async function readBack(
  client: ECRClient,
  access: AccountAccess,
  registry: RegistryClient,
  repository: RepositoryInfo,
  digest: string,
  written: string[],
  sagemakerSafe: boolean,
): Promise<{ size: number; mediaType: string; tags: string[] }> {
  const images = await imagesByTag(client, access, repository.name, written);
  const wrong = written.filter((tag) => images.get(tag)?.digest !== digest);
  if (wrong.length > 0) {
    throw new ActionError(`after pushing, ECR does not have ${wrong.join(', ')} naming ${digest}`);
  }
  const image = images.get(written[0]!)!;
  const body = Buffer.from(image.manifest);
  const declared = parseManifest(body, image.mediaType).mediaType;
  const label = `${repository.uri}@${digest} as ECR holds it`;
  checkSageMaker(sagemakerSafe, image.mediaType, label);
  checkSageMaker(sagemakerSafe, declared, label);
  const size = await imageSize(
    { client: registry, repository: repository.name },
    { digest, mediaType: declared, body },
  );
  return { size, mediaType: image.mediaType || declared, tags: written };
}

function warnKept(repository: RepositoryInfo, plan: TagPlan): void {
  for (const tag of plan.keep) {
    core.warning(`${repository.uri}:${tag} names another image and was left as it is (if-exists: skip)`);
  }
}

function buildPlan(
  inputs: BuildInputs,
  repository: RepositoryInfo,
  tags: string[],
  folder: string,
  insecure: boolean,
): BuildPlan {
  const labels = inputs.ociLabels ? mergeLabels(ociLabels(githubContext(), new Date()), inputs.labels) : inputs.labels;
  return {
    context: inputs.context,
    file: inputs.file,
    buildArgs: inputs.buildArgs,
    ...(inputs.buildTarget ? { buildTarget: inputs.buildTarget } : {}),
    platforms: inputs.platforms,
    labels,
    refs: tags.map((tag) => `${repository.uri}:${tag}`),
    sagemakerSafe: inputs.target.sagemakerSafe,
    insecure,
    cache: inputs.cache,
    cacheRef: `${repository.uri}:${inputs.cacheTag}`,
    cacheScope: repository.name,
    metadataFile: join(folder, 'metadata.json'),
    digestFile: join(folder, 'digest'),
    authFile: join(folder, 'config.json'),
  };
}

async function runBuilder(builder: Builder, plan: BuildPlan, folder: string, workspace: string): Promise<string> {
  let pushOutput = '';
  for (const invocation of invocations(builder, plan)) {
    const output = await mustRun(invocation.command, invocation.args, {
      what: invocation.what,
      title: `${invocation.what} ${plan.refs[0]}`,
      cwd: workspace,
      env: { ...process.env, DOCKER_CONFIG: folder, ...invocation.env },
    });
    if (invocation.what === 'docker push') pushOutput = output;
  }
  const read = (file: string): string => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      return '';
    }
  };
  const digest =
    builder === 'buildx'
      ? digestFromBuildxMetadata(read(plan.metadataFile))
      : builder === 'docker'
        ? digestFromDockerPush(pushOutput)
        : read(plan.digestFile);
  if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    throw new ActionError(`${builder} pushed ${plan.refs[0]} but did not report its digest`);
  }
  return digest;
}

/** Builds and pushes the first tag with the builder's own push; returns the digest it reports. */
async function buildAndPush(
  inputs: BuildInputs,
  builder: Builder,
  repository: RepositoryInfo,
  login: RegistryLogin,
  tags: string[],
): Promise<string> {
  const endpoint = endpointFor(repository.host, login.proxyEndpoint);
  const folder = makeAuthFolder();
  // Saved before any secret is written, so the post step can remove it whatever happens next.
  core.saveState(REGISTRY_AUTH_FOLDER_STATE, folder);
  try {
    const auth = writeAuthFolder(folder, [{ host: repository.host, auth: login.token }]);
    if (auth.droppedCredsStore) {
      core.notice('Your docker config names a credsStore; it is not used while this step builds and pushes');
    }
    const plan = buildPlan(inputs, repository, tags, folder, endpoint.scheme === 'http:');
    core.info(`Building ${plan.refs[0]} with ${builder} for ${inputs.platforms.join(', ')}`);
    return await runBuilder(builder, plan, folder, inputs.workspace);
  } finally {
    removeAuthFolder(folder);
  }
}

async function build(inputs: BuildInputs): Promise<Outcome> {
  const builder = await chooseBuilder(inputs.builder);
  if (builder !== 'buildx') {
    if (inputs.cache !== 'none') {
      throw new InputError('cache', `cache: ${inputs.cache} needs docker buildx, and the builder here is ${builder}`);
    }
    if (inputs.platforms.length > 1) {
      throw new InputError('platform', `several platforms need docker buildx, and the builder here is ${builder}`);
    }
  }
  const { target } = inputs;
  const access = targetAccess(target);
  const client = ecrClient(access);
  try {
    const targetLogin = await login(client, access);
    const [{ found, existing }] = await Promise.all([
      inspectTarget(client, access, target),
      checkLogin(targetLogin, access),
    ]);
    const plan = planTags(
      target.tags,
      existing,
      target.ifExists,
      found?.mutability ?? target.settings.mutability,
      found?.uri ?? target.repository,
    );
    const repository = found ?? (await createRepository(client, access, target.repository, target.settings));

    let digest: string;
    let result: Result;
    // Tags that name the image already: found before, or pushed by the builder itself.
    const done = new Set<string>();
    if (plan.skipWith) {
      digest = plan.skipWith;
      result = 'skipped';
      core.info(`${repository.uri}:${target.tags[0]} already exists (${digest}): build skipped (if-exists: skip)`);
    } else {
      // buildx pushes every tag itself; docker and buildah push the first, and the others are added below.
      const pushed = builder === 'buildx' ? plan.write : plan.write.slice(0, 1);
      digest = await buildAndPush(inputs, builder, repository, targetLogin, pushed);
      for (const tag of pushed) done.add(tag);
      result = 'built';
    }
    for (const [tag, named] of existing) if (named === digest) done.add(tag);
    const rest = plan.write.filter((tag) => !done.has(tag));
    if (rest.length > 0) {
      const registry = targetRegistry(repository, targetLogin);
      const manifest = await registry.getManifest(repository.name, digest);
      if (!manifest || manifest.digest !== digest) {
        throw new ActionError(`${repository.uri}@${digest} cannot be read back from the registry`);
      }
      await putTags({ client: registry, repository: repository.name }, manifest, rest);
      core.info(`Tagged ${repository.uri}@${digest} as ${rest.join(', ')}`);
    }
    warnKept(repository, plan);
    const back = await readBack(
      client,
      access,
      targetRegistry(repository, targetLogin),
      repository,
      digest,
      plan.write,
      target.sagemakerSafe,
    );
    return { result, repository, digest, ...back, kept: plan.keep };
  } finally {
    client.destroy();
  }
}

/**
 * The source registry and the source's top manifest. For ECR: a token from the source account;
 * for any other registry: its API, anonymously or with the credentials given, Bearer challenges
 * answered. Reading the manifest is what proves the credentials work.
 */
async function openSource(
  inputs: PromoteInputs,
  sourceClient: ECRClient,
  sourceAccess: AccountAccess,
): Promise<{ sourceRegistry: RegistryClient; manifest: ManifestResponse | undefined; repository: string }> {
  const { source } = inputs;
  if (source.registry === 'ecr') {
    const sourceLogin = await login(sourceClient, sourceAccess, source.host);
    const registry = registryOf(sourceLogin);
    return {
      sourceRegistry: registry,
      repository: source.repository,
      manifest: await withLogin(sourceLogin, sourceAccess, () =>
        registry.getManifest(source.repository, source.digest),
      ),
    };
  }
  const host = registryApiHost(source.host!);
  const repository = apiRepository(source.host!, source.repository);
  const registry = new RegistryClient(endpointFor(host), source.credentials, {
    mask: (secret) => core.setSecret(secret),
  });
  try {
    return { sourceRegistry: registry, repository, manifest: await registry.getManifest(repository, source.digest) };
  } catch (error) {
    if (error instanceof RegistryAuthError) {
      if (source.credentials)
        throw new InputError(
          source.credentials.input,
          `registry ${host} refused these credentials (HTTP ${error.status})`,
        );
      throw new InputError(
        'source-image',
        `registry ${host} refused anonymous access to ${repository} (HTTP ${error.status}); give source-username and source-password, or source-docker-config`,
      );
    }
    if (error instanceof RegistryError) throw new ActionError(`source registry ${host}: ${describeError(error)}`);
    throw error;
  }
}

async function promote(inputs: PromoteInputs): Promise<Outcome & { source: string; stats: CopyStats }> {
  const { target, source } = inputs;
  const access = targetAccess(target);
  const sourceAccess: AccountAccess = {
    region: source.region,
    ...(source.profile ? { profile: source.profile } : {}),
    credentialsInput: 'source-aws-profile',
  };
  const client = ecrClient(access);
  const sourceClient = ecrClient(sourceAccess);
  try {
    // Two chains, one per account, each from its token to the reads that need it. Everything is
    // read and checked before the first change (CreateRepository or a push); reading the source
    // manifest is also what proves the source token works.
    const [{ sourceRegistry, manifest, repository: sourceRepository }, { targetLogin, found, existing, present }] =
      await Promise.all([
        openSource(inputs, sourceClient, sourceAccess),
        (async () => {
          const targetLogin = await login(client, access);
          // Asking the target registry whether it has the digest is also what proves the target token works.
          const [inspected, present] = await Promise.all([
            inspectTarget(client, access, target),
            withLogin(targetLogin, access, () =>
              registryOf(targetLogin).headManifest(target.repository, source.digest),
            ),
          ]);
          return { targetLogin, ...inspected, present: present !== undefined };
        })(),
      ]);
    const sourceImage = `${sourceRegistry.host}/${sourceRepository}@${source.digest}`;
    if (!manifest) throw new ActionError(`source image ${sourceImage} does not exist`);
    if (manifest.digest !== source.digest) {
      throw new ActionError(`source image ${sourceImage} answered a manifest whose digest is ${manifest.digest}`);
    }
    checkSageMaker(target.sagemakerSafe, manifest.mediaType, `source image ${sourceImage}`);
    const plan = planTags(
      target.tags,
      existing,
      target.ifExists,
      found?.mutability ?? target.settings.mutability,
      found?.uri ?? target.repository,
      source.digest,
    );
    const repository = found ?? (await createRepository(client, access, target.repository, target.settings));
    const tags = plan.write.filter((tag) => existing.get(tag) !== source.digest);

    core.info(`Copying ${sourceImage} to ${repository.uri}`);
    const copied = await copyByDigest(
      { client: sourceRegistry, repository: sourceRepository },
      { client: targetRegistry(repository, targetLogin), repository: repository.name },
      source.digest,
      { manifest, tags, present, log: (line) => core.info(`  ${line}`) },
    );
    warnKept(repository, plan);
    // No read-back through ECR is needed here: every manifest and tag PUT was answered with the
    // digest the registry computed, and the media type is the source's, checked before copying.
    const result: Result = copied.stats.manifestsCopied === 0 ? 'already-present' : 'promoted';
    return {
      result,
      repository,
      digest: copied.digest,
      mediaType: copied.mediaType,
      size: copied.size,
      tags: plan.write,
      kept: plan.keep,
      source: sourceImage,
      stats: copied.stats,
    };
  } finally {
    client.destroy();
    sourceClient.destroy();
  }
}

function setOutputs(outcome: Outcome): void {
  core.setOutput('image-uri', `${outcome.repository.uri}@${outcome.digest}`);
  core.setOutput('digest', outcome.digest);
  core.setOutput('tags', outcome.tags.join(','));
  core.setOutput('repository-uri', outcome.repository.uri);
  core.setOutput('media-type', outcome.mediaType);
  core.setOutput('image-size', outcome.size === undefined ? '' : String(outcome.size));
  core.setOutput('result', outcome.result);
}

const OUTCOMES: Record<Result, string> = {
  built: 'built and pushed',
  skipped: 'build skipped, its first tag already in ECR',
  promoted: 'promoted',
  'already-present': 'already promoted, nothing copied',
};

/** The summary's title, and the log's closing line: `Image <repository>: <outcome>`. */
const title = (outcome: Outcome): string => `Image ${outcome.repository.name}: ${OUTCOMES[outcome.result]}`;

function skippedText(outcome: Outcome, stats?: CopyStats): string | undefined {
  const parts: string[] = [];
  if (outcome.result === 'skipped') parts.push(`the build: tag ${outcome.tags[0] ?? ''} already named this image`);
  if (stats) {
    if (stats.manifestsPresent > 0) parts.push(`${stats.manifestsPresent} manifest(s) the target already had`);
    if (stats.blobsPresent > 0) parts.push(`${stats.blobsPresent} blob(s) the target already had`);
  }
  if (outcome.kept.length > 0) parts.push(`tag(s) ${outcome.kept.join(', ')}, left naming another image`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

async function writeSummary(outcome: Outcome, extra: [string, Cell | undefined][], stats?: CopyStats): Promise<void> {
  const rows: [string, Cell | undefined][] = [
    ['Image', { code: `${outcome.repository.uri}@${outcome.digest}` }],
    ['Tags', outcome.tags.length > 0 ? outcome.tags.join(', ') : '(none)'],
    ['Digest', { code: outcome.digest }],
    ['Media type', { code: outcome.mediaType }],
    ['Size', formatBytes(outcome.size)],
    ...extra,
    ['Skipped', skippedText(outcome, stats) ?? 'nothing'],
  ];
  if (outcome.repository.created) rows.push(['Repository', `created ${outcome.repository.name}`]);
  await new SummaryBuilder().heading(title(outcome)).keyValues(rows).write();
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  if (inputs.operation === 'build') {
    const outcome = await build(inputs);
    setOutputs(outcome);
    core.info(`${title(outcome)} — ${outcome.repository.uri}@${outcome.digest} (${outcome.mediaType})`);
    await writeSummary(outcome, [['Platform', inputs.platforms.join(', ')]]);
    return;
  }
  const outcome = await promote(inputs);
  setOutputs(outcome);
  const { stats } = outcome;
  core.info(
    `${title(outcome)} — ${outcome.source} → ${outcome.repository.uri}@${outcome.digest}; ` +
      `${stats.manifestsCopied} manifest(s) and ${stats.blobsUploaded} blob(s) copied (${formatBytes(stats.bytesSent)}), ` +
      `${stats.blobsMounted} mounted, ${stats.blobsPresent + stats.manifestsPresent} already there`,
  );
  await writeSummary(
    outcome,
    [
      ['Source', { code: outcome.source }],
      [
        'Copied',
        `${stats.manifestsCopied} manifest(s), ${stats.blobsUploaded} blob(s), ${formatBytes(stats.bytesSent)} sent` +
          (stats.blobsMounted > 0 ? `, ${stats.blobsMounted} blob(s) mounted` : ''),
      ],
    ],
    stats,
  );
}
