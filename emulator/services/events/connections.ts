import { randomBytes, randomUUID } from 'node:crypto';
import type { Handler, OperationContext } from '../../registry.ts';
import { JsonInput } from '../json-input.ts';
import {
  alreadyExists,
  eventsStoreOf,
  notFound,
  validation,
  type ApiDestination,
  type Connection,
  type ConnectionParameter,
  type EventsStore,
  type InvocationHttpParameters,
} from './store.ts';

/**
 * Connections (how EventBridge authenticates to an HTTP endpoint: an API key, basic auth or
 * OAuth client credentials, kept as a secret) and the API destinations that use them. The
 * secrets stay inside the connection: Describe* never shows them and invocations record them
 * as ***.
 */

function storeOf(context: OperationContext): EventsStore {
  return eventsStoreOf(context.state, context.caller.accountId ?? 'anonymous', context.region);
}

const name = (context: OperationContext) => new JsonInput(context.input).string('Name') ?? '';

function requireConnection(store: EventsStore, connectionName: string): Connection {
  const connection = store.connections.get(connectionName);
  if (!connection)
    throw notFound(`Failed to describe the connection(s). Connection '${connectionName}' does not exist.`);
  return connection;
}

function requireDestination(store: EventsStore, destinationName: string): ApiDestination {
  const destination = store.apiDestinations.get(destinationName);
  if (!destination)
    throw notFound(
      `Failed to describe the api-destination(s). An api-destination '${destinationName}' does not exist.`,
    );
  return destination;
}

/** The connection's parameters without the values flagged secret, as Describe shows them. */
function visibleParameters(parameters: InvocationHttpParameters | undefined): InvocationHttpParameters | undefined {
  if (!parameters) return undefined;
  const visible = (list: ConnectionParameter[] | undefined) =>
    list?.map((p) => (p.IsValueSecret ? { Key: p.Key, IsValueSecret: true } : p));
  return {
    ...(parameters.HeaderParameters ? { HeaderParameters: visible(parameters.HeaderParameters) } : {}),
    ...(parameters.QueryStringParameters ? { QueryStringParameters: visible(parameters.QueryStringParameters) } : {}),
    ...(parameters.BodyParameters ? { BodyParameters: visible(parameters.BodyParameters) } : {}),
  } as InvocationHttpParameters;
}

function createConnection(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const store = storeOf(context);
  const connectionName = name(context);
  if (store.connections.has(connectionName)) throw alreadyExists(`Connection ${connectionName} already exists.`);
  const type = input.string<Connection['authorizationType']>('AuthorizationType') ?? 'API_KEY';
  const auth = (input.object('AuthParameters') ?? {}) as Connection['authParameters'];
  const needed = {
    API_KEY: 'ApiKeyAuthParameters',
    BASIC: 'BasicAuthParameters',
    OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
  }[type];
  if (!auth[needed as keyof typeof auth])
    throw validation(`${needed} must be specified for authorization type ${type}.`);
  const now = context.state.clock.now();
  const id = randomUUID();
  const connection: Connection = {
    name: connectionName,
    arn: `arn:aws:events:${store.region}:${store.account}:connection/${connectionName}/${id}`,
    description: input.string('Description'),
    authorizationType: type,
    authParameters: auth,
    creationTime: now,
    lastModifiedTime: now,
    secretArn: `arn:aws:secretsmanager:${store.region}:${store.account}:secret:events!connection/${connectionName}/${id}-${randomBytes(3).toString('hex')}`,
  };
  store.connections.set(connectionName, connection);
  return {
    ConnectionArn: connection.arn,
    // API keys and basic auth need no round trip: the connection is authorized at once.
    ConnectionState: 'AUTHORIZED',
    CreationTime: new Date(now),
    LastModifiedTime: new Date(now),
  };
}

function describeConnection(context: OperationContext): Record<string, unknown> {
  const connection = requireConnection(storeOf(context), name(context));
  const auth = connection.authParameters;
  const oauth = auth.OAuthParameters as
    | {
        AuthorizationEndpoint?: string;
        HttpMethod?: string;
        ClientParameters?: { ClientID?: string };
        OAuthHttpParameters?: InvocationHttpParameters;
      }
    | undefined;
  const invocation = visibleParameters(auth.InvocationHttpParameters);
  return {
    ConnectionArn: connection.arn,
    Name: connection.name,
    ...(connection.description !== undefined ? { Description: connection.description } : {}),
    ConnectionState: 'AUTHORIZED',
    AuthorizationType: connection.authorizationType,
    SecretArn: connection.secretArn,
    AuthParameters: {
      ...(auth.ApiKeyAuthParameters
        ? { ApiKeyAuthParameters: { ApiKeyName: auth.ApiKeyAuthParameters.ApiKeyName } }
        : {}),
      ...(auth.BasicAuthParameters ? { BasicAuthParameters: { Username: auth.BasicAuthParameters.Username } } : {}),
      ...(oauth
        ? {
            OAuthParameters: {
              AuthorizationEndpoint: oauth.AuthorizationEndpoint,
              HttpMethod: oauth.HttpMethod,
              ClientParameters: { ClientID: oauth.ClientParameters?.ClientID },
              ...(oauth.OAuthHttpParameters
                ? { OAuthHttpParameters: visibleParameters(oauth.OAuthHttpParameters) }
                : {}),
            },
          }
        : {}),
      ...(invocation ? { InvocationHttpParameters: invocation } : {}),
    },
    CreationTime: new Date(connection.creationTime),
    LastModifiedTime: new Date(connection.lastModifiedTime),
    LastAuthorizedTime: new Date(connection.creationTime),
  };
}

function deleteConnection(context: OperationContext): Record<string, unknown> {
  const store = storeOf(context);
  const connection = requireConnection(store, name(context));
  store.connections.delete(connection.name);
  return {
    ConnectionArn: connection.arn,
    ConnectionState: 'DELETING',
    CreationTime: new Date(connection.creationTime),
    LastModifiedTime: new Date(context.state.clock.now()),
    LastAuthorizedTime: new Date(connection.creationTime),
  };
}

function connectionByArn(store: EventsStore, arn: string): Connection {
  const connection = [...store.connections.values()].find((c) => c.arn === arn);
  if (!connection) throw notFound(`Connection '${arn}' does not exist.`);
  return connection;
}

function checkEndpoint(endpoint: string): void {
  if (!/^https:\/\/[^/\s]+/.test(endpoint)) throw validation('InvocationEndpoint must be an https endpoint.');
}

function destinationSummary(destination: ApiDestination): Record<string, unknown> {
  return {
    ApiDestinationArn: destination.arn,
    ApiDestinationState: 'ACTIVE',
    CreationTime: new Date(destination.creationTime),
    LastModifiedTime: new Date(destination.lastModifiedTime),
  };
}

function createApiDestination(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const store = storeOf(context);
  const destinationName = name(context);
  if (store.apiDestinations.has(destinationName))
    throw alreadyExists(`An api-destination '${destinationName}' already exists.`);
  const connection = connectionByArn(store, input.string('ConnectionArn') ?? '');
  const endpoint = input.string('InvocationEndpoint') ?? '';
  checkEndpoint(endpoint);
  const now = context.state.clock.now();
  const destination: ApiDestination = {
    name: destinationName,
    arn: `arn:aws:events:${store.region}:${store.account}:api-destination/${destinationName}/${randomUUID()}`,
    description: input.string('Description'),
    connectionArn: connection.arn,
    invocationEndpoint: endpoint,
    httpMethod: input.string('HttpMethod') ?? 'POST',
    rateLimit: input.number('InvocationRateLimitPerSecond'),
    creationTime: now,
    lastModifiedTime: now,
  };
  store.apiDestinations.set(destinationName, destination);
  return destinationSummary(destination);
}

function describeApiDestination(context: OperationContext): Record<string, unknown> {
  const destination = requireDestination(storeOf(context), name(context));
  return {
    ...destinationSummary(destination),
    Name: destination.name,
    ...(destination.description !== undefined ? { Description: destination.description } : {}),
    ConnectionArn: destination.connectionArn,
    InvocationEndpoint: destination.invocationEndpoint,
    HttpMethod: destination.httpMethod,
    InvocationRateLimitPerSecond: destination.rateLimit ?? 300,
  };
}

function updateApiDestination(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const store = storeOf(context);
  const destination = requireDestination(store, name(context));
  const connectionArn = input.string('ConnectionArn');
  if (connectionArn !== undefined) destination.connectionArn = connectionByArn(store, connectionArn).arn;
  const endpoint = input.string('InvocationEndpoint');
  if (endpoint !== undefined) {
    checkEndpoint(endpoint);
    destination.invocationEndpoint = endpoint;
  }
  destination.httpMethod = input.string('HttpMethod') ?? destination.httpMethod;
  destination.description = input.string('Description') ?? destination.description;
  destination.rateLimit = input.number('InvocationRateLimitPerSecond') ?? destination.rateLimit;
  destination.lastModifiedTime = context.state.clock.now();
  return destinationSummary(destination);
}

function deleteApiDestination(context: OperationContext): Record<string, unknown> {
  const store = storeOf(context);
  store.apiDestinations.delete(requireDestination(store, name(context)).name);
  return {};
}

export const connectionOperations: Record<string, Handler> = {
  CreateConnection: createConnection,
  DescribeConnection: describeConnection,
  DeleteConnection: deleteConnection,
  CreateApiDestination: createApiDestination,
  DescribeApiDestination: describeApiDestination,
  UpdateApiDestination: updateApiDestination,
  DeleteApiDestination: deleteApiDestination,
};
