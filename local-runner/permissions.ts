/**
 * Whether a job may ask for an OIDC token (`id-token: write`). Permissions are
 * the job's, else the workflow's; a called workflow can only lower what the
 * calling job has, never raise it.
 */
import { entries, isMapping, literalString, type TemplateToken } from './tokens.ts';

/** What one `permissions:` value says about id-token; undefined when it is not there. */
export function idTokenPermission(token: TemplateToken | undefined): boolean | undefined {
  if (!token) return undefined;
  if (isMapping(token)) {
    const idToken = entries(token).find(([scope]) => scope === 'id-token');
    return idToken ? literalString(idToken[1]) === 'write' : false;
  }
  const all = literalString(token);
  return all === 'write-all';
}

/**
 * The job's id-token permission. `ceiling` is the calling job's permission when
 * the workflow was called; undefined for the top workflow, whose default
 * (repository setting) has no id-token.
 */
export function jobIdToken(
  job: TemplateToken | undefined,
  workflow: TemplateToken | undefined,
  ceiling: boolean | undefined,
): boolean {
  const own = idTokenPermission(job) ?? idTokenPermission(workflow);
  if (ceiling === undefined) return own ?? false;
  return (own ?? ceiling) && ceiling;
}
