/**
 * What if-exists means for the tags that already exist in the repository, decided before
 * anything is built or copied:
 *
 *   skip       the first tag exists → no build, the image it names is the result; other tags that
 *              name another image are left as they are
 *   fail       any tag exists (naming another image) → stop before building
 *   overwrite  tags move to the new image; refused up front when the repository's tags are immutable
 */
import { ActionError } from '../runtime/errors.ts';
import type { IfExists } from './inputs.ts';

export interface TagPlan {
  /** A build: the first tag exists and if-exists is skip; this is the digest it names. */
  skipWith?: string;
  /** Tags to point at the result. */
  write: string[];
  /** Tags left naming another image (if-exists: skip). */
  keep: string[];
}

export function planTags(
  tags: string[],
  existing: Map<string, string>,
  ifExists: IfExists,
  mutability: string,
  repository: string,
  /** A promotion: the digest being copied, so a tag already naming it is no conflict. */
  digest?: string,
): TagPlan {
  const conflicts = tags.filter((tag) => existing.has(tag) && existing.get(tag) !== digest);
  const primary = tags[0]!;
  if (ifExists === 'fail' && conflicts.length > 0) {
    throw new ActionError(
      `${repository} already has tag${conflicts.length > 1 ? 's' : ''} ${conflicts.join(', ')} (if-exists: fail); nothing was built or pushed`,
    );
  }
  if (ifExists === 'overwrite' && conflicts.length > 0 && mutability === 'IMMUTABLE') {
    throw new ActionError(
      `${repository} already has tag${conflicts.length > 1 ? 's' : ''} ${conflicts.join(', ')} and its tags are immutable, so if-exists: overwrite cannot move them; nothing was built or pushed`,
    );
  }
  if (ifExists === 'skip') {
    if (digest === undefined && existing.has(primary)) {
      const skipWith = existing.get(primary)!;
      const keep = tags.filter((tag) => existing.has(tag) && existing.get(tag) !== skipWith);
      return { skipWith, write: tags.filter((tag) => !keep.includes(tag)), keep };
    }
    return { write: tags.filter((tag) => !conflicts.includes(tag)), keep: conflicts };
  }
  return { write: tags, keep: [] };
}
