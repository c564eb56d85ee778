import { AwsError } from '../../errors.ts';
import type { EmulatorState } from '../../state.ts';
import type { ParsedExpression } from '../scheduler/expressions.ts';

/**
 * EventBridge's resources per account and region: the default event bus with its rules (each
 * with its targets), connections and API destinations. Only the default bus exists: SageMaker
 * emits there, and that is where the promotion's rules live.
 */

export const DEFAULT_BUS = 'default';

export interface RuleTarget extends Record<string, unknown> {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  SageMakerPipelineParameters?: { PipelineParameterList?: { Name: string; Value: string }[] };
  HttpParameters?: {
    HeaderParameters?: Record<string, string>;
    QueryStringParameters?: Record<string, string>;
    PathParameterValues?: string[];
  };
}

export interface Rule {
  name: string;
  arn: string;
  bus: string;
  eventPattern: string | undefined;
  scheduleExpression: string | undefined;
  schedule: ParsedExpression | undefined;
  state: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  description: string | undefined;
  roleArn: string | undefined;
  targets: Map<string, RuleTarget>;
  tags: Map<string, string>;
  createdAt: number;
  /** Scheduled rules: occurrences up to here have been sent. */
  processedUntil: number;
}

export interface ConnectionParameter {
  Key: string;
  Value: string;
  IsValueSecret?: boolean;
}

export interface InvocationHttpParameters {
  HeaderParameters?: ConnectionParameter[];
  QueryStringParameters?: ConnectionParameter[];
  BodyParameters?: ConnectionParameter[];
}

export interface Connection {
  name: string;
  arn: string;
  description: string | undefined;
  authorizationType: 'BASIC' | 'API_KEY' | 'OAUTH_CLIENT_CREDENTIALS';
  /** As given, secrets included: only the invocation reads them, and never records them. */
  authParameters: {
    ApiKeyAuthParameters?: { ApiKeyName: string; ApiKeyValue: string };
    BasicAuthParameters?: { Username: string; Password: string };
    OAuthParameters?: Record<string, unknown>;
    InvocationHttpParameters?: InvocationHttpParameters;
  };
  creationTime: number;
  lastModifiedTime: number;
  secretArn: string;
}

export interface ApiDestination {
  name: string;
  arn: string;
  description: string | undefined;
  connectionArn: string;
  invocationEndpoint: string;
  httpMethod: string;
  rateLimit: number | undefined;
  creationTime: number;
  lastModifiedTime: number;
}

export interface EventsStore {
  account: string;
  region: string;
  rules: Map<string, Rule>;
  connections: Map<string, Connection>;
  apiDestinations: Map<string, ApiDestination>;
}

export const notFound = (message: string) => new AwsError('ResourceNotFoundException', message);
export const validation = (message: string) => new AwsError('ValidationException', message);
export const alreadyExists = (message: string) => new AwsError('ResourceAlreadyExistsException', message);

export function eventsStoreOf(state: EmulatorState, account: string, region: string): EventsStore {
  return state.resources.bucket(account, region, 'events', () => ({
    account,
    region,
    rules: new Map(),
    connections: new Map(),
    apiDestinations: new Map(),
  }));
}

export function allEventsStores(state: EmulatorState): EventsStore[] {
  return state.resources.bucketsOf<EventsStore>('events').map((entry) => entry.bucket);
}

export const ruleArnOf = (store: EventsStore, name: string) =>
  `arn:aws:events:${store.region}:${store.account}:rule/${name}`;

export function busArn(store: EventsStore): string {
  return `arn:aws:events:${store.region}:${store.account}:event-bus/${DEFAULT_BUS}`;
}

/** EventBusName is a name or an ARN; only the default bus exists. */
export function checkBus(store: EventsStore, nameOrArn: string | undefined): void {
  if (nameOrArn === undefined || nameOrArn === DEFAULT_BUS || nameOrArn === busArn(store)) return;
  throw notFound(`Event bus ${nameOrArn} does not exist.`);
}

export function requireRule(store: EventsStore, name: string): Rule {
  const rule = store.rules.get(name);
  if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${DEFAULT_BUS}.`);
  return rule;
}

export const isEnabled = (rule: Rule) => rule.state !== 'DISABLED';

/** The API destination an ARN names (with its connection), wherever it lives. */
export function findApiDestination(
  state: EmulatorState,
  arn: string,
): { destination: ApiDestination; connection: Connection | undefined } | undefined {
  const match = /^arn:aws[a-z-]*:events:([a-z0-9-]+):(\d{12}):api-destination\/([^/]+)/.exec(arn);
  if (!match) return undefined;
  const store = eventsStoreOf(state, match[2] ?? '', match[1] ?? '');
  const destination = store.apiDestinations.get(match[3] ?? '');
  // The ARN with its id, or without it: the name is unique in the account and region.
  const unversioned = destination?.arn.slice(0, destination.arn.lastIndexOf('/'));
  if (!destination || (arn !== destination.arn && arn !== unversioned)) return undefined;
  const connection = [...store.connections.values()].find((c) => c.arn === destination.connectionArn);
  return { destination, connection };
}
