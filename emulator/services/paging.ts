/**
 * Opaque paging tokens for list operations. The token carries the offset and a tag naming the
 * list it belongs to, so a token from another operation is refused as AWS refuses it instead of
 * silently returning the wrong page.
 */

export interface Page<T> {
  items: T[];
  /** Present only when more items follow. */
  nextToken: string | undefined;
}

export function encodeToken(tag: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ tag, position }), 'utf8').toString('base64url');
}

/** The position inside a token made by encodeToken with the same tag, or undefined when it is not one. */
export function decodeToken(tag: string, token: string): unknown {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      tag?: unknown;
      position?: unknown;
    };
    return parsed.tag === tag ? parsed.position : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One page of `items` (already filtered and sorted). `invalid` builds the service's own error
 * for a token that is not one of ours.
 */
export function offsetPage<T>(
  items: T[],
  options: { tag: string; token: string | undefined; limit: number; invalid: () => Error },
): Page<T> {
  let offset = 0;
  if (options.token !== undefined) {
    const position = decodeToken(options.tag, options.token);
    if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) throw options.invalid();
    offset = position;
  }
  const end = offset + options.limit;
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? encodeToken(options.tag, end) : undefined,
  };
}
