/** Image references, tags and repository names, checked the way registries and ECR check them. */
import { awsProblem } from '../runtime/aws-constraints.ts';

// Docker tags: a word character first, then up to 127 of word characters, . and -.
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
// <account>.dkr.ecr.<region>.amazonaws.com (and the China/FIPS variants)
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/;

export interface ImageReference {
  /** The registry host when the reference names one. */
  host?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Parses [host/]repository[:tag][@digest]. As docker does, the first path component is a
 * host when it contains a dot or a colon or is localhost.
 */
export function parseImageReference(text: string): ImageReference | undefined {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let host: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      host = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_PATTERN.test(tag)) return undefined;
  }
  // Repository names by ECR's own rule (its model): the images are in ECR.
  if (awsProblem('ecrRepositoryName', rest) !== undefined) return undefined;
  if (host !== undefined && !/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(host)) return undefined;
  return {
    ...(host !== undefined ? { host } : {}),
    repository: rest,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** The account and region of an ECR registry host, when it is one. */
export function ecrHost(host: string): { account: string; region: string } | undefined {
  const match = ECR_HOST.exec(host);
  return match ? { account: match[1]!, region: match[2]! } : undefined;
}

/** host/repository from a repositoryUri. */
export function splitRepositoryUri(uri: string): { host: string; repository: string } {
  const slash = uri.indexOf('/');
  return { host: uri.slice(0, slash), repository: uri.slice(slash + 1) };
}
