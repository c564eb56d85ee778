// Shapes shared by the emulator, its admin API and its clients. Kept free of runtime code so
// that admin-client.ts (imported by tests and the demo) pulls in nothing else.

/** The world file as written by people (JSON or YAML). */
export interface World {
  accounts: WorldAccount[];
  oidcProviders?: WorldOidcProvider[];
  roles?: WorldRole[];
}

export interface WorldAccount {
  /** 12 digits. */
  id: string;
  alias?: string;
  /** Long-lived access keys, like credentials already present in a runner's environment. */
  users?: WorldUser[];
}

export interface WorldUser {
  name: string;
  /** Derived from the account and name when missing, so restarts keep the same keys. */
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface WorldOidcProvider {
  account: string;
  /** Host and optional path as IAM stores it, e.g. token.actions.githubusercontent.com. */
  url: string;
  /** Defaults to ["sts.amazonaws.com"]. */
  clientIds?: string[];
}

export interface WorldRole {
  arn: string;
  /** Seconds; 3600 when missing, at most 43200. */
  maxSessionDuration?: number;
  /**
   * An IAM trust policy document (a PolicyDocument, or its JSON text). Plain objects are
   * accepted at the type level because policies are usually built as loose JSON; the
   * world loader validates the shape.
   */
  trustPolicy: PolicyDocument | object | string;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}

export type FaultKind = 'throttle' | 'server-error' | 'reset' | 'latency' | 'error';

export interface Fault {
  kind: FaultKind;
  /** Signing name of the service (sts, sagemaker, ecr, logs, oidc); any service when missing. */
  service?: string;
  /** Operation name; any operation when missing or "*". */
  operation?: string;
  /** Probability per matching call, 0..1, drawn from the seeded generator. */
  rate?: number;
  /** Fire on at most this many matching calls, then stop. */
  count?: number;
  /** latency: delay before handling, in milliseconds. */
  ms?: number;
  /** error / server-error: HTTP status (server-error: 500 or 503). */
  status?: number;
  /** error: the AWS error code. */
  code?: string;
  /** error: the error message. */
  message?: string;
}

export interface FaultSettings {
  faults: Fault[];
  /** Seed for rate draws; the same seed gives the same sequence of faulted calls. */
  seed?: number;
}

/** One AWS call as recorded by the emulator. */
export interface Call {
  seq: number;
  /** ISO wall-clock time the call arrived. */
  time: string;
  service: string;
  operation: string;
  region: string;
  /** Account the caller acts in; null for unsigned calls. */
  account: string | null;
  principalArn: string | null;
  accessKeyId: string | null;
  mutating: boolean;
  status: number;
  errorCode: string | null;
  /** Set when the response came from an injected fault. */
  fault: FaultKind | null;
  input: Record<string, unknown>;
}

export interface OidcRequest {
  requestUrl: string;
  requestToken: string;
}

export interface Health {
  ok: true;
  accounts: string[];
  services: string[];
  simulatedTime: string;
}
