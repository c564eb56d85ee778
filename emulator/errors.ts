import type { Protocol } from './registry.ts';

/** An error the emulator answers with, encoded by the protocol of the request. */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }

  /** AWS marks 5xx as the service's fault and everything else as the caller's. */
  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/**
 * Errors raised by the front door (auth, routing, throttling) carry different codes and
 * statuses in the query protocol (STS), the JSON services and S3 (restXml), as they do on AWS.
 */
const FRONT_DOOR = {
  missingAuth: {
    awsQuery: ['MissingAuthenticationToken', 403],
    awsJson1_1: ['MissingAuthenticationTokenException', 400],
    restXml: ['AccessDenied', 403],
  },
  unknownKey: {
    awsQuery: ['InvalidClientTokenId', 403],
    awsJson1_1: ['UnrecognizedClientException', 400],
    restXml: ['InvalidAccessKeyId', 403],
  },
  badSignature: {
    awsQuery: ['SignatureDoesNotMatch', 403],
    awsJson1_1: ['InvalidSignatureException', 400],
    restXml: ['SignatureDoesNotMatch', 403],
  },
  incompleteSignature: {
    awsQuery: ['IncompleteSignature', 400],
    awsJson1_1: ['IncompleteSignatureException', 400],
    restXml: ['AuthorizationHeaderMalformed', 400],
  },
  expiredToken: {
    awsQuery: ['ExpiredToken', 403],
    awsJson1_1: ['ExpiredTokenException', 400],
    restXml: ['ExpiredToken', 400],
  },
  unknownOperation: {
    awsQuery: ['InvalidAction', 400],
    awsJson1_1: ['UnknownOperationException', 400],
    restXml: ['NotImplemented', 501],
  },
  throttle: {
    awsQuery: ['Throttling', 400],
    awsJson1_1: ['ThrottlingException', 400],
    restXml: ['SlowDown', 503],
  },
  serialization: {
    awsQuery: ['MalformedQueryString', 400],
    awsJson1_1: ['SerializationException', 400],
    restXml: ['MalformedXML', 400],
  },
} as const satisfies Record<string, Record<Protocol, readonly [string, number]>>;

export type FrontDoorError = keyof typeof FRONT_DOOR;

export function frontDoorError(kind: FrontDoorError, protocol: Protocol, message: string): AwsError {
  const [code, status] = FRONT_DOOR[kind][protocol];
  return new AwsError(code, message, status);
}
