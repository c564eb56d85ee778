import type { AwsError } from '../errors.ts';
import { frontDoorError } from '../errors.ts';
import type { WireResponse } from './wire.ts';

// awsQuery: form-encoded Action/Version plus flattened parameters in, XML out.

export interface QueryRequest {
  action: string;
  version: string | null;
  input: Record<string, unknown>;
}

type Tree = { leaf?: string; children: Map<string, Tree> };

const isIndex = (segment: string): boolean => /^[1-9]\d*$/.test(segment);

function byIndex(node: Tree): Tree[] {
  return [...node.children.entries()].sort(([a], [b]) => Number(a) - Number(b)).map(([, child]) => child);
}

/**
 * `Tags.member.1.Key=k` → { Tags: [{ Key: "k" }] }; `Keys.member.1=x` → { Keys: ["x"] };
 * `Attrs.entry.1.key=a&Attrs.entry.1.value=b` → { Attrs: { a: "b" } }. Scalars stay strings:
 * only the handler knows which parameters are numbers.
 */
function rebuild(node: Tree): unknown {
  if (node.children.size === 0) return node.leaf ?? '';
  const keys = [...node.children.keys()];
  if (keys.length === 1 && keys[0] === 'member') {
    const member = node.children.get('member') as Tree;
    if ([...member.children.keys()].every(isIndex)) return byIndex(member).map(rebuild);
  }
  if (keys.length === 1 && keys[0] === 'entry') {
    const map: Record<string, unknown> = {};
    for (const entry of byIndex(node.children.get('entry') as Tree)) {
      const key = entry.children.get('key') ?? entry.children.get('Key');
      const value = entry.children.get('value') ?? entry.children.get('Value');
      if (key?.leaf !== undefined) map[key.leaf] = value ? rebuild(value) : '';
    }
    return map;
  }
  if (keys.every(isIndex)) return byIndex(node).map(rebuild);
  const object: Record<string, unknown> = {};
  for (const [key, child] of node.children) object[key] = rebuild(child);
  return object;
}

export function decodeQuery(params: URLSearchParams): QueryRequest {
  const root: Tree = { children: new Map() };
  let action: string | null = null;
  let version: string | null = null;
  for (const [name, value] of params) {
    if (name === 'Action') action = value;
    else if (name === 'Version') version = value;
    else {
      let node = root;
      for (const segment of name.split('.')) {
        let next = node.children.get(segment);
        if (!next) node.children.set(segment, (next = { children: new Map() }));
        node = next;
      }
      node.leaf = value;
    }
  }
  if (!action) throw frontDoorError('serialization', 'awsQuery', 'Could not find an Action parameter in the request.');
  const input = root.children.size === 0 ? {} : (rebuild(root) as Record<string, unknown>);
  return { action, version, input };
}

/** Empty list parameters arrive as `Name=`; handlers call this for every list they read. */
export function queryList(value: unknown): unknown[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function toXml(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, inner]) => inner !== undefined && inner !== null)
      .map(([key, inner]) => `<${key}>${toXml(inner)}</${key}>`)
      .join('');
  }
  return escapeXml(String(value));
}

const XML_HEADERS = (requestId: string): Record<string, string> => ({
  'content-type': 'text/xml',
  'x-amzn-requestid': requestId,
});

export function encodeQueryResult(
  operation: string,
  xmlns: string,
  output: Record<string, unknown>,
  requestId: string,
): WireResponse {
  const body =
    `<${operation}Response xmlns="${xmlns}">` +
    `<${operation}Result>${toXml(output)}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${operation}Response>`;
  return { status: 200, headers: XML_HEADERS(requestId), body };
}

export function encodeQueryError(error: AwsError, requestId: string, xmlns: string | undefined): WireResponse {
  const body =
    `<ErrorResponse${xmlns ? ` xmlns="${xmlns}"` : ''}>` +
    `<Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId>` +
    `</ErrorResponse>`;
  return { status: error.status, headers: XML_HEADERS(requestId), body };
}
