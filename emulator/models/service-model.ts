import { readFileSync } from 'node:fs';

/**
 * AWS's published service models (botocore `service-2.json`, in `aws-models/` at the
 * repository root): the shapes, constraints and errors AWS itself checks requests against.
 * Each model is read once, on the first request to its service.
 */

export interface MemberRef {
  shape: string;
  location?: 'header' | 'headers' | 'querystring' | 'uri' | 'statusCode';
  locationName?: string;
  /** awsQuery lists: `Tags.member.N` unless flattened. */
  flattened?: boolean;
  streaming?: boolean;
  idempotencyToken?: boolean;
}

export interface Shape {
  type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'float'
    | 'double'
    | 'boolean'
    | 'timestamp'
    | 'blob';
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  flattened?: boolean;
  exception?: boolean;
  document?: boolean;
  union?: boolean;
  payload?: string;
}

export interface Operation {
  name: string;
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
  errors?: { shape: string }[];
}

export interface ServiceModel {
  metadata: { protocol: string; apiVersion: string; serviceId: string; targetPrefix?: string; signingName?: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

/** Our signing names → the model file AWS publishes for that service. */
const MODEL_FILES: Record<string, string> = {
  sagemaker: 'sagemaker.json',
  sts: 'sts.json',
  ecr: 'ecr.json',
  logs: 'logs.json',
  s3: 's3.json',
  'sagemaker-runtime': 'sagemaker-runtime.json',
  scheduler: 'scheduler.json',
  events: 'events.json',
  sns: 'sns.json',
};

export const MODELS_DIR = new URL('../../aws-models/', import.meta.url);

const cache = new Map<string, ServiceModel>();

export function modelFile(service: string): string | undefined {
  return MODEL_FILES[service];
}

/** The model of a service the emulator serves; undefined for a service AWS publishes none of here. */
export function serviceModel(service: string): ServiceModel | undefined {
  const file = MODEL_FILES[service];
  if (!file) return undefined;
  let model = cache.get(file);
  if (!model) {
    model = JSON.parse(readFileSync(new URL(file, MODELS_DIR), 'utf8')) as ServiceModel;
    cache.set(file, model);
  }
  return model;
}

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`model ${model.metadata.serviceId} has no shape ${name}`);
  return shape;
}
