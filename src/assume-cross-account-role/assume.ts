/**
 * Walks the role chain: the first hop from GitHub OIDC or the credentials
 * already in the environment, every further hop with the previous hop's
 * credentials. Each set of credentials is masked the moment it exists.
 */
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  STSClient,
  type Credentials,
  type Tag,
} from '@aws-sdk/client-sts';
import * as core from '@actions/core';
import { createClient } from '../runtime/aws-client.ts';
import { ActionError, awsErrorCode, deniedPermission, describeError } from '../runtime/errors.ts';
import { isExpiredCredentialsError } from '../runtime/expired-credentials.ts';
import { isRetryableCall, type CallRetryPolicy } from '../runtime/retry.ts';
import { MIN_DURATION_SECONDS, type Hop } from './inputs.ts';
import { tokenClaims } from './oidc.ts';

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface AssumedSession {
  credentials: SessionCredentials;
  assumedRoleArn: string;
  account: string;
}

export interface ChainPlan {
  hops: Pick<Hop, 'roleArn' | 'externalId'>[];
  region: string;
  sessionName: string;
  /** Applies to the final hop; hops in between only need to live long enough to take the next one. */
  durationSeconds: number;
  tags: Tag[];
  /** Present when the first hop uses GitHub OIDC: asked again when STS finds a token already expired. */
  webIdentityToken?: () => Promise<string>;
}

/**
 * Where the chain walk reports to. The action masks and logs through @actions/core; the
 * credential_process refresher may print nothing but its JSON on stdout, so it reports nowhere.
 */
export interface ChainReporter {
  mask(secret: string): void;
  info(line: string): void;
}

export const STEP_REPORTER: ChainReporter = {
  mask: (secret) => core.setSecret(secret),
  info: (line) => core.info(line),
};

/** GitHub's OIDC tokens live five minutes; a slow hop can meet one that just ended. */
const OIDC_TOKEN_TRIES = 5;

function checkedCredentials(credentials: Credentials | undefined, reporter: ChainReporter): SessionCredentials {
  if (
    !credentials?.AccessKeyId ||
    !credentials.SecretAccessKey ||
    !credentials.SessionToken ||
    !credentials.Expiration
  ) {
    throw new ActionError('STS answered without complete credentials');
  }
  reporter.mask(credentials.AccessKeyId);
  reporter.mask(credentials.SecretAccessKey);
  reporter.mask(credentials.SessionToken);
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: credentials.Expiration,
  };
}

// STS answers IDPCommunicationError when it cannot reach GitHub's OIDC keys; a retry usually works.
function isRetryableStsError(error: unknown): boolean {
  return isRetryableCall(error) || awsErrorCode(error) === 'IDPCommunicationError';
}

/**
 * How the chain's STS clients try a call again: sooner than other calls (a hop is on the way to
 * everything else the job does), with a line each time, as the walk reports where it is.
 */
function stsRetry(label: string, reporter: ChainReporter): Omit<CallRetryPolicy, 'attempts'> {
  return {
    baseDelayMs: 500,
    maxDelayMs: 8000,
    isRetryable: isRetryableStsError,
    onRetry: (error, attempt, delay) =>
      reporter.info(`${label} failed (try ${attempt}): ${describeError(error)}; retrying in ${delay} ms`),
  };
}

type ChainHop = ChainPlan['hops'][number];

/** Turns STS refusals into messages that say which condition to look at. */
function explainRefusal(error: unknown, hop: ChainHop, token: string, viaOidc: boolean, tagged: boolean): string {
  const code = awsErrorCode(error);
  const base = describeError(error);
  if (viaOidc && code === 'AccessDenied') {
    const claims = tokenClaims(token);
    return `${base} — the trust policy of ${hop.roleArn} does not accept this workflow's token (sub '${String(claims['sub'])}', aud '${String(claims['aud'])}'); check its token.actions.githubusercontent.com:sub and :aud conditions`;
  }
  const denied = deniedPermission(error);
  if (code === 'AccessDenied' && denied?.policy === 'identity') {
    // The previous hop's own permissions refused: its role needs the action on this role.
    return `${base} — allow ${denied.action} on ${hop.roleArn} in the permission policy of the role that assumes it${denied.action === 'sts:TagSession' ? ', or set skip-session-tags: true' : ''}`;
  }
  if (tagged && code === 'AccessDenied' && /TagSession/.test(base)) {
    return `${base} — allow sts:TagSession in the trust policy of ${hop.roleArn}, or set skip-session-tags: true`;
  }
  if (code === 'AccessDenied' && hop.externalId === undefined) {
    return `${base} — if the trust policy of ${hop.roleArn} requires an external id, give one`;
  }
  return base;
}

/** Walks started again from the first hop when a hop's session ended before the next hop could use it. */
const WALKS = 3;

class HopSessionEnded extends Error {}

export async function assumeChain(plan: ChainPlan, reporter: ChainReporter = STEP_REPORTER): Promise<AssumedSession> {
  for (let walk = 1; ; walk++) {
    try {
      return await walkChain(plan, reporter);
    } catch (error) {
      if (!(error instanceof HopSessionEnded)) throw error;
      const cause = error.cause as ActionError;
      if (walk >= WALKS) throw cause;
      reporter.info(`${cause.message}; walking the chain again`);
    }
  }
}

async function walkChain(plan: ChainPlan, reporter: ChainReporter): Promise<AssumedSession> {
  let credentials: SessionCredentials | undefined;
  let token = '';
  let assumedRoleArn = '';
  for (const [index, hop] of plan.hops.entries()) {
    const isLast = index === plan.hops.length - 1;
    const viaOidc = index === 0 && plan.webIdentityToken !== undefined;
    const tagged = !viaOidc && plan.tags.length > 0;
    const label = `Assuming ${hop.roleArn} (hop ${index + 1} of ${plan.hops.length}${viaOidc ? ', GitHub OIDC' : ''})`;
    const client = createClient(STSClient, {
      region: plan.region,
      credentials: credentials && {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
      },
      retry: stsRetry(label, reporter),
    });
    const request = {
      RoleArn: hop.roleArn,
      RoleSessionName: plan.sessionName,
      DurationSeconds: isLast ? plan.durationSeconds : MIN_DURATION_SECONDS,
    };
    const send = async () => {
      if (!viaOidc) {
        return client.send(
          new AssumeRoleCommand({ ...request, ExternalId: hop.externalId, Tags: tagged ? plan.tags : undefined }),
        );
      }
      for (let tries = 1; ; tries++) {
        token = await plan.webIdentityToken!();
        try {
          return await client.send(new AssumeRoleWithWebIdentityCommand({ ...request, WebIdentityToken: token }));
        } catch (error) {
          if (awsErrorCode(error) !== 'ExpiredTokenException' || tries >= OIDC_TOKEN_TRIES) throw error;
          reporter.info(`${label}: the GitHub OIDC token expired before STS saw it; asking for a fresh one`);
        }
      }
    };
    try {
      const response = await send();
      credentials = checkedCredentials(response.Credentials, reporter);
      assumedRoleArn = response.AssumedRoleUser?.Arn ?? '';
    } catch (error) {
      const failure = new ActionError(
        `assuming ${hop.roleArn} (hop ${index + 1} of ${plan.hops.length}): ${explainRefusal(error, hop, token, viaOidc, tagged)}`,
        { cause: error },
      );
      // The previous hop's session is over (a slow hop on a busy runner, or accelerated time): start again.
      if (index > 0 && isExpiredCredentialsError(error))
        throw new HopSessionEnded('hop session ended', { cause: failure });
      throw failure;
    } finally {
      client.destroy();
    }
    reporter.info(`${label}: done, session ${assumedRoleArn}`);
  }
  // The assumed-role ARN names the account the credentials act in: arn:aws:sts::<account>:assumed-role/...
  const account = assumedRoleArn.split(':')[4] ?? '';
  return { credentials: credentials!, assumedRoleArn, account };
}
