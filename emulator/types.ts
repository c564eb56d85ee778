// Shapes shared by the emulator, its admin API and its clients. Kept free of runtime code so
// that admin-client.ts (imported by tests and the demo) pulls in nothing else.

/** The world file as written by people (JSON or YAML). */
export interface World {
  accounts: WorldAccount[];
  oidcProviders?: WorldOidcProvider[];
  roles?: WorldRole[];
  /** Managed-like policies, attached to users and roles by ARN (arn:aws:iam::ACCOUNT:policy/NAME). */
  policies?: WorldManagedPolicy[];
  /**
   * iam (the default): every signed request is authorised as IAM does, so a user or role without
   * identity policies may do nothing its account's resource policies do not grant it.
   * allow-all: identity policies are not consulted; trust and resource policies still apply.
   */
  authorization?: 'iam' | 'allow-all';
}

export interface WorldManagedPolicy {
  account: string;
  name: string;
  document: PolicyDocument | object | string;
}

/** An identity policy written on the user or role itself. */
export interface WorldInlinePolicy {
  name: string;
  document: PolicyDocument | object | string;
}

/** What users and roles carry besides their own fields: their identity policies. */
export interface WorldPolicyHolder {
  policies?: WorldInlinePolicy[];
  /** ARNs of the world's `policies`. */
  managedPolicies?: string[];
}

export interface WorldAccount {
  /** 12 digits. */
  id: string;
  alias?: string;
  /** Long-lived access keys, like credentials already present in a runner's environment. */
  users?: WorldUser[];
}

export interface WorldUser extends WorldPolicyHolder {
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

export interface WorldRole extends WorldPolicyHolder {
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
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}

/**
 * How a call goes wrong. `reset` drops the connection before the request is handled;
 * `lost-response` handles it (its change is made) and then drops the connection, as when an
 * answer is lost on the way back, so a client's retry meets what it already did.
 */
export type FaultKind = 'throttle' | 'server-error' | 'reset' | 'latency' | 'error' | 'lost-response';

export interface Fault {
  kind: FaultKind;
  /** Signing name of the service (sts, sagemaker, ecr, logs, s3, scheduler, events, sns, oidc); any service when missing. */
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
  /**
   * server-error: answer with this body (text/html) instead of the protocol's error document,
   * as a load balancer or proxy in front of a service does.
   */
  body?: string;
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

/**
 * What the emulator's event-driven services did on their own, oldest first: SNS messages
 * delivered to subscriptions, and targets EventBridge rules and Scheduler schedules invoked,
 * succeeded or failed. GET /_emulator/deliveries.
 */
export type Delivery = SnsDelivery | TargetInvocation;

export interface SnsDelivery {
  kind: 'sns';
  seq: number;
  /** Simulated time of the delivery (ISO 8601). */
  time: string;
  /**
   * Notification: a published message. SubscriptionConfirmation: the message SNS sends a new
   * email or HTTP(S) subscription, carrying the token ConfirmSubscription takes.
   */
  type: 'Notification' | 'SubscriptionConfirmation';
  topicArn: string;
  subscriptionArn: string;
  protocol: string;
  endpoint: string;
  messageId: string;
  subject: string | null;
  message: string;
  /** SubscriptionConfirmation only. */
  token?: string;
}

export type TargetType = 'sagemaker-pipeline' | 'sns-topic' | 'api-destination' | 'unsupported';

export interface TargetInvocation {
  kind: 'invocation';
  seq: number;
  /** Simulated time of the invocation (ISO 8601): the event's time or the schedule's occurrence. */
  time: string;
  /** events: an EventBridge rule matched an event; scheduler: an EventBridge Scheduler schedule came due. */
  invoker: 'events' | 'scheduler';
  /** The rule's or the schedule's ARN. */
  sourceArn: string;
  /** The rule target's Id; null for schedules. */
  targetId: string | null;
  targetArn: string;
  targetType: TargetType;
  roleArn: string | null;
  /** The id of the event that matched (EventBridge). */
  eventId: string | null;
  outcome: 'succeeded' | 'failed';
  /** Failed: why, as the invoking service reports it (e.g. AccessDenied, ResourceNotFound). */
  errorCode: string | null;
  errorMessage: string | null;
  /** What the target was given (after Input, InputPath or InputTransformer). */
  input: string | null;
  /** sagemaker-pipeline: the execution started, and the parameters it was started with. */
  pipelineExecutionArn?: string;
  pipelineParameters?: { Name: string; Value: string }[];
  /** sns-topic: the published message's id. */
  messageId?: string;
  /** api-destination: the HTTP request EventBridge makes, every secret shown as ***. */
  request?: { method: string; url: string; headers: Record<string, string>; body: string };
}

export interface OidcRequest {
  requestUrl: string;
  requestToken: string;
}

/** Simulated time and how many simulated seconds pass per wall-clock second. */
export interface ClockView {
  simulatedTime: string;
  scale: number;
  /** True while simulated time stands still (only advance moves it). */
  held: boolean;
}

/**
 * A real registry (e.g. Debian's docker-registry on 127.0.0.1) standing in for one account's ECR
 * registry: the ECR service reads images from it and hands out its password as the
 * authorization token. POST /_emulator/ecr/registries; survives reset and world loads.
 */
export interface EcrRegistryBacking {
  /** 12 digits. */
  account: string;
  /** The region it serves; every region of the account when missing. */
  region?: string;
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** The registry's basic-auth user; AWS (as on ECR) when missing. */
  username?: string;
  password: string;
}

export interface Health {
  ok: true;
  accounts: string[];
  services: string[];
  simulatedTime: string;
}

/**
 * How simulated SageMaker resources behave: set by a test or the demo through the admin API,
 * kept across executions until replaced or reset. Keys are resource names or "*"; a named
 * entry overrides "*" field by field.
 */
export interface Scenario {
  pipelines?: Record<string, PipelineBehaviour>;
  endpoints?: Record<string, EndpointBehaviour>;
  /** By model package group name or "*": how new packages in the group validate. */
  modelPackageGroups?: Record<string, ModelPackageBehaviour>;
}

export interface ModelPackageBehaviour {
  /** Simulated seconds from Pending (first third) through InProgress to the final status; default 3. */
  settleSeconds?: number;
  /** Final ModelPackageStatus; default Completed. */
  status?: 'Completed' | 'Failed';
  /** For Failed: reported in ModelPackageStatusDetails.ValidationStatuses. */
  failureReason?: string;
}

export interface PipelineBehaviour {
  /** By step name or "*". */
  steps?: Record<string, StepBehaviour>;
}

export interface StepBehaviour {
  /** Simulated seconds the step runs: default 60 for jobs, 5 for model steps, 1 for Condition and Fail. */
  durationSeconds?: number;
  /** Default Succeeded. */
  outcome?: 'Succeeded' | 'Failed';
  /**
   * The step fails on its first N runs within one execution and succeeds afterwards:
   * RetryPipelineExecution runs a failed step again, so a flaky step passes on a retry.
   */
  failFirstRuns?: number;
  /** For Failed, e.g. "AlgorithmError: ... see the logs". */
  failureReason?: string;
  /** AttemptCount reported; default 1. */
  attempts?: number;
  /** Log events a Training/Processing/Transform job writes, spread over its run. */
  logLines?: string[];
  /** Condition steps: which branch runs; default true (IfSteps). */
  conditionOutcome?: boolean;
}

export interface EndpointBehaviour {
  /** Simulated seconds in Creating; default 180. */
  createSeconds?: number;
  /** Default InService. */
  createOutcome?: 'InService' | 'Failed';
  createFailureReason?: string;
  /** Simulated seconds in Updating; default 180. */
  updateSeconds?: number;
  /**
   * InService: the new config goes live. RolledBack: RollingBack, then InService on the OLD
   * config with FailureReason set. UpdateRollbackFailed: stuck there with FailureReason.
   */
  updateOutcome?: 'InService' | 'RolledBack' | 'UpdateRollbackFailed';
  updateFailureReason?: string;
  /** Simulated seconds in RollingBack; default 60. */
  rollbackSeconds?: number;
  /** A SystemUpdating window once InService: starts afterSeconds after InService, lasts durationSeconds. */
  systemUpdating?: { afterSeconds: number; durationSeconds: number };
  /** Goes OutOfService this many seconds after it first reaches InService. */
  outOfServiceAfterSeconds?: number;
  /** Simulated seconds in Deleting; default 30. */
  deleteSeconds?: number;
  /** Extra log events each instance writes to /aws/sagemaker/Endpoints/<name>. */
  logLines?: string[];
  /** How InvokeEndpoint answers on this endpoint (SageMaker Runtime); default: echo the request. */
  invocation?: InvocationBehaviour;
  /** Per endpoint config the endpoint serves (overrides `invocation`): a new config can serve errors. */
  invocationsByConfig?: Record<string, InvocationBehaviour>;
}

export interface InvocationBehaviour {
  /** echo: the request body and content type back (default); fixed: `body` as `contentType`. */
  response?: 'echo' | 'fixed';
  body?: string;
  contentType?: string;
  /** What the container answered; anything but 200 is a ModelError (424) carrying it, as AWS does. */
  containerStatus?: number;
  /** Fail the call itself, before the container: ModelNotReadyException, ServiceUnavailable, ... */
  error?: 'ModelNotReadyException' | 'ServiceUnavailable' | 'InternalFailure' | 'ValidationError';
  /** Real milliseconds the container takes to answer. */
  latencyMs?: number;
}
