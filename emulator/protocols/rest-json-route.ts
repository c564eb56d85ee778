import { frontDoorError } from '../errors.ts';
import { serviceModel, shapeOf, type MemberRef, type ServiceModel } from '../models/service-model.ts';
import type { RestRoute } from '../registry.ts';
import type { ReceivedRequest } from '../sigv4.ts';

/**
 * restJson1 requests routed by the service's own model: each operation's `http` trait names
 * its method and URI template (`/schedules/{Name}`), its members say which are path labels,
 * query parameters and headers; the rest are the JSON body's. The input is rebuilt from all of
 * them, typed as the model says, so the model check and the handler see one input.
 */

interface Template {
  operation: string;
  method: string;
  /** Literal segments, or a label's member name in braces. */
  segments: string[];
  inputShape: string | undefined;
}

interface Operation {
  http?: { method: string; requestUri: string };
  input?: { shape: string };
}

const templatesCache = new Map<string, Template[]>();

function templatesOf(model: ServiceModel, service: string): Template[] {
  let templates = templatesCache.get(service);
  if (templates) return templates;
  templates = Object.entries(model.operations as Record<string, Operation>)
    .filter(([, op]) => op.http)
    .map(([operation, op]) => ({
      operation,
      method: op.http!.method,
      segments: op.http!.requestUri.split('?')[0]!.split('/').filter(Boolean),
      inputShape: op.input?.shape,
    }))
    // Literal segments win over labels: /schedules before /schedules/{Name} is never ambiguous.
    .sort((a, b) => literalCount(b) - literalCount(a));
  templatesCache.set(service, templates);
  return templates;
}

const isLabel = (segment: string) => segment.startsWith('{') && segment.endsWith('}');
const literalCount = (t: Template) => t.segments.filter((s) => !isLabel(s)).length;

function match(template: Template, method: string, segments: string[]): Record<string, string> | undefined {
  if (template.method !== method || template.segments.length !== segments.length) return undefined;
  const labels: Record<string, string> = {};
  for (const [i, part] of template.segments.entries()) {
    const actual = segments[i] as string;
    if (isLabel(part)) labels[part.slice(1, -1)] = decodeURIComponent(actual);
    else if (part !== actual) return undefined;
  }
  return labels;
}

/** Query parameters and headers arrive as text; numbers and booleans become what the model says. */
function typed(model: ServiceModel, ref: MemberRef, text: string): unknown {
  const type = shapeOf(model, ref.shape).type;
  if ((type === 'integer' || type === 'long') && /^-?\d+$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

function header(request: ReceivedRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function bodyOf(request: ReceivedRequest): Record<string, unknown> {
  const text = request.body.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw frontDoorError('serialization', 'restJson1', 'Unable to parse the request body as JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw frontDoorError('serialization', 'restJson1', 'Expected a JSON object as the request body.');
  return parsed as Record<string, unknown>;
}

export function modelRoute(service: string): (request: ReceivedRequest) => RestRoute {
  return (request) => {
    const model = serviceModel(service);
    if (!model) throw new Error(`no model for ${service}`);
    const segments = request.path.split('/').filter(Boolean);
    for (const template of templatesOf(model, service)) {
      const labels = match(template, request.method, segments);
      if (!labels) continue;
      const members = template.inputShape ? (shapeOf(model, template.inputShape).members ?? {}) : {};
      const input: Record<string, unknown> = {};
      let hasBodyMembers = false;
      for (const [name, ref] of Object.entries(members)) {
        if (ref.location === 'uri') {
          const value = labels[ref.locationName ?? name];
          if (value !== undefined) input[name] = value;
        } else if (ref.location === 'querystring') {
          const key = ref.locationName ?? name;
          if (shapeOf(model, ref.shape).type === 'list') {
            const values = request.query.getAll(key);
            if (values.length > 0) input[name] = values;
          } else {
            const value = request.query.get(key);
            if (value !== null) input[name] = typed(model, ref, value);
          }
        } else if (ref.location === 'header') {
          const value = header(request, ref.locationName ?? name);
          if (value !== undefined) input[name] = typed(model, ref, value);
        } else {
          hasBodyMembers = true;
        }
      }
      if (hasBodyMembers) Object.assign(input, bodyOf(request));
      return { operation: template.operation, input };
    }
    return { operation: `${request.method} ${request.path}`, input: {} };
  };
}
