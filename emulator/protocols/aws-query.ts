import type { AwsError } from '../errors.ts';
import { frontDoorError } from '../errors.ts';
import { shapeOf, type MemberRef, type ServiceModel } from '../models/service-model.ts';
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
      // SNS names its MessageAttributes entries Name and Value.
      const key = entry.children.get('key') ?? entry.children.get('Key') ?? entry.children.get('Name');
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

/**
 * XML by the output shape: maps as <entry><key/><value/></entry> (SNS's Attributes), lists as
 * <member> (or their member's locationName), structures by member name. Values the shape does
 * not know are written as toXml writes them.
 */
function shapedXml(model: ServiceModel, ref: MemberRef, value: unknown): string {
  if (value === null || value === undefined) return '';
  const shape = shapeOf(model, ref.shape);
  if (shape.type === 'list' && Array.isArray(value)) {
    const member = shape.member as MemberRef;
    const name = member.locationName ?? 'member';
    return value.map((item) => `<${name}>${shapedXml(model, member, item)}</${name}>`).join('');
  }
  if (shape.type === 'map' && typeof value === 'object') {
    const key = shape.key?.locationName ?? 'key';
    const inner = shape.value?.locationName ?? 'value';
    return Object.entries(value)
      .map(
        ([k, v]) =>
          `<entry><${key}>${escapeXml(k)}</${key}><${inner}>${shapedXml(model, shape.value as MemberRef, v)}</${inner}></entry>`,
      )
      .join('');
  }
  if (shape.type === 'structure' && typeof value === 'object' && !(value instanceof Date))
    return structureXml(model, shape.members ?? {}, value as Record<string, unknown>);
  return toXml(value);
}

function structureXml(model: ServiceModel, members: Record<string, MemberRef>, value: Record<string, unknown>): string {
  return Object.entries(value)
    .filter(([, inner]) => inner !== undefined && inner !== null)
    .map(([key, inner]) => {
      const member = members[key];
      if (!member) return `<${key}>${toXml(inner)}</${key}>`;
      const name = member.locationName ?? key;
      return `<${name}>${shapedXml(model, member, inner)}</${name}>`;
    })
    .join('');
}

/** The output shape an awsQuery answer is written by. */
export interface QueryOutputShape {
  model: ServiceModel;
  shape: string;
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
  outputShape?: QueryOutputShape,
): WireResponse {
  const result = outputShape
    ? structureXml(outputShape.model, shapeOf(outputShape.model, outputShape.shape).members ?? {}, output)
    : toXml(output);
  const body =
    `<${operation}Response xmlns="${xmlns}">` +
    `<${operation}Result>${result}</${operation}Result>` +
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
