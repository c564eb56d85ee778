/**
 * The three builders and the exact arguments each gets. Everything here is a pure function
 * of the build plan except detection, so the buildx path (absent on this machine, present
 * on GitHub's hosted runners) is covered by unit tests of its arguments.
 *
 * SageMaker-safe builds (the default) produce one docker v2 schema-2 image manifest:
 *   buildx   --provenance=false --sbom=false and an image output with oci-mediatypes=false
 *   docker   the classic builder (DOCKER_BUILDKIT=0) pushes schema-2 through the daemon
 *   buildah  --format docker at build time, --format v2s2 at push time
 */
import { InputError } from '../runtime/errors.ts';
import type { BuilderChoice, CacheKind } from './inputs.ts';
import { runCommand } from './run-command.ts';

export type Builder = 'buildx' | 'docker' | 'buildah';

export interface BuildPlan {
  context: string;
  file: string;
  buildArgs: [string, string][];
  buildTarget?: string;
  platforms: string[];
  labels: [string, string][];
  /** host/repository:tag for every tag; the first is the one the builder pushes. */
  refs: string[];
  sagemakerSafe: boolean;
  /** The registry speaks plain HTTP (a local registry). */
  insecure: boolean;
  cache: CacheKind;
  /** host/repository:cache-tag for cache: registry. */
  cacheRef: string;
  /** Scope for cache: gha, so images of one repository share a cache. */
  cacheScope: string;
  /** Files the builders write their result to. */
  metadataFile: string;
  digestFile: string;
  /** Docker config.json with the registry credentials (buildah's --authfile). */
  authFile: string;
}

export interface Invocation {
  command: string;
  args: string[];
  /** Variables added to the step's environment for this command. */
  env?: Record<string, string>;
  what: string;
}

function common(plan: BuildPlan): string[] {
  const args = ['--file', plan.file];
  args.push('--platform', plan.platforms.join(','));
  for (const [name, value] of plan.buildArgs) args.push('--build-arg', `${name}=${value}`);
  for (const [key, value] of plan.labels) args.push('--label', `${key}=${value}`);
  if (plan.buildTarget) args.push('--target', plan.buildTarget);
  return args;
}

/** `docker buildx build` that pushes every tag itself and writes the digest to the metadata file. */
export function buildxInvocations(plan: BuildPlan): Invocation[] {
  const args = ['buildx', 'build', ...common(plan)];
  for (const ref of plan.refs) args.push('--tag', ref);
  const output = ['type=registry'];
  if (plan.sagemakerSafe) {
    args.push('--provenance=false', '--sbom=false');
    output.push('oci-mediatypes=false');
  }
  if (plan.insecure) output.push('registry.insecure=true');
  args.push('--output', output.join(','));
  if (plan.cache === 'gha') {
    args.push('--cache-from', `type=gha,scope=${plan.cacheScope}`);
    args.push('--cache-to', `type=gha,mode=max,scope=${plan.cacheScope}`);
  } else if (plan.cache === 'registry') {
    // ECR stores a cache only as an image manifest (image-manifest=true), and that needs OCI types.
    const insecure = plan.insecure ? ',registry.insecure=true' : '';
    args.push('--cache-from', `type=registry,ref=${plan.cacheRef}${insecure}`);
    args.push(
      '--cache-to',
      `type=registry,ref=${plan.cacheRef},mode=max,image-manifest=true,oci-mediatypes=true${insecure}`,
    );
  }
  args.push('--metadata-file', plan.metadataFile, plan.context);
  return [{ command: 'docker', args, what: 'docker buildx build' }];
}

/** The classic `docker build` then `docker push` of the first tag. */
export function dockerInvocations(plan: BuildPlan): Invocation[] {
  const primary = plan.refs[0]!;
  return [
    {
      command: 'docker',
      args: ['build', ...common(plan), '--tag', primary, plan.context],
      // The classic builder: without buildx, BuildKit is not available to the CLI anyway, and
      // an inherited DOCKER_BUILDKIT=1 would make the CLI refuse to build.
      env: { DOCKER_BUILDKIT: '0' },
      what: 'docker build',
    },
    { command: 'docker', args: ['push', primary], what: 'docker push' },
  ];
}

/** `buildah build` then `buildah push` of the first tag, the digest written to a file. */
export function buildahInvocations(plan: BuildPlan): Invocation[] {
  const primary = plan.refs[0]!;
  const build = ['build', ...common(plan), '--tag', primary, '--authfile', plan.authFile];
  if (plan.sagemakerSafe) build.push('--format', 'docker');
  if (plan.insecure) build.push('--tls-verify=false');
  build.push(plan.context);
  const push = ['push', '--authfile', plan.authFile, '--digestfile', plan.digestFile];
  if (plan.sagemakerSafe) push.push('--format', 'v2s2');
  if (plan.insecure) push.push('--tls-verify=false');
  push.push(primary, `docker://${primary}`);
  return [
    { command: 'buildah', args: build, what: 'buildah build' },
    { command: 'buildah', args: push, what: 'buildah push' },
  ];
}

export function invocations(builder: Builder, plan: BuildPlan): Invocation[] {
  if (builder === 'buildx') return buildxInvocations(plan);
  if (builder === 'docker') return dockerInvocations(plan);
  return buildahInvocations(plan);
}

/** `docker push` prints "<tag>: digest: sha256:… size: N" once the manifest is up. */
export function digestFromDockerPush(output: string): string | undefined {
  return /digest: (sha256:[a-f0-9]{64})/.exec(output)?.[1];
}

/** buildx's --metadata-file: {"containerimage.digest": "sha256:…", …}. */
export function digestFromBuildxMetadata(text: string): string | undefined {
  try {
    const metadata = JSON.parse(text) as Record<string, unknown>;
    const digest = metadata['containerimage.digest'];
    return typeof digest === 'string' ? digest : undefined;
  } catch {
    return undefined;
  }
}

interface Probe {
  ok: boolean;
  detail: string;
}

async function probe(command: string, args: string[]): Promise<Probe> {
  try {
    const result = await runCommand(command, args, { quiet: true, timeoutMs: 30_000 });
    const detail =
      result.output
        .trim()
        .split('\n')
        .map((line) => line.trim())
        .find(Boolean) ?? '';
    return { ok: result.exitCode === 0, detail: detail || `exit ${result.exitCode ?? result.signal}` };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

const PROBES: Record<Builder, () => Promise<Probe>> = {
  buildx: () => probe('docker', ['buildx', 'version']),
  // The CLI alone is not enough: the classic builder runs in the daemon.
  docker: () => probe('docker', ['version', '--format', '{{.Server.Version}}']),
  buildah: () => probe('buildah', ['--version']),
};

/** The builder to use: the one asked for when it works, else the first that works of buildx, docker, buildah. */
export async function chooseBuilder(choice: BuilderChoice): Promise<Builder> {
  if (choice !== 'auto') {
    const result = await PROBES[choice]();
    if (!result.ok) throw new InputError('builder', `'${choice}' is not available here: ${result.detail}`);
    return choice;
  }
  const reasons: string[] = [];
  for (const builder of ['buildx', 'docker', 'buildah'] as const) {
    const result = await PROBES[builder]();
    if (result.ok) return builder;
    reasons.push(`${builder}: ${result.detail}`);
  }
  throw new InputError('builder', `'auto' found no working builder (${reasons.join('; ')})`);
}
