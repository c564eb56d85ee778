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
import { createClient } from '../shared/aws-client.ts';
import { ActionError, awsErrorCode, deniedPermission, describeError } from '../shared/errors.ts';
import { isThrottlingError, withRetries } from '../shared/retry.ts';
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
  hops: Hop[];
  region: string;
  sessionName: string;
  /** Applies to the final hop; hops in between only need to live long enough to take the next one. */
  durationSeconds: number;
  tags: Tag[];
  /** Present when the first hop uses GitHub OIDC. */
  webIdentityToken?: string;
}

function maskCredentials(credentials: Credentials | undefined): SessionCredentials {
  if (
    !credentials?.AccessKeyId ||
    !credentials.SecretAccessKey ||
    !credentials.SessionToken ||
    !credentials.Expiration
  ) {
    throw new ActionError('STS answered without complete credentials');
  }
  core.setSecret(credentials.AccessKeyId);
  core.setSecret(credentials.SecretAccessKey);
  core.setSecret(credentials.SessionToken);
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: credentials.Expiration,
  };
}

// STS answers IDPCommunicationError when it cannot reach GitHub's OIDC keys; a retry usually works.
function isRetryableStsError(error: unknown): boolean {
  return isThrottlingError(error) || awsErrorCode(error) === 'IDPCommunicationError';
}

function stsCall<T>(label: string, call: () => Promise<T>): Promise<T> {
  return withRetries(call, {
    attempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 8000,
    isRetryable: isRetryableStsError,
    onRetry: (error, attempt, delay) =>
      core.info(`${label} failed (try ${attempt}): ${describeError(error)}; retrying in ${delay} ms`),
  });
}

/** Turns STS refusals into messages that say which condition to look at. */
function explainRefusal(error: unknown, hop: Hop, plan: ChainPlan, viaOidc: boolean, tagged: boolean): string {
  const code = awsErrorCode(error);
  const base = describeError(error);
  if (viaOidc && code === 'AccessDenied') {
    const claims = tokenClaims(plan.webIdentityToken ?? '');
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

export async function assumeChain(plan: ChainPlan): Promise<AssumedSession> {
  let credentials: SessionCredentials | undefined;
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
    });
    const request = {
      RoleArn: hop.roleArn,
      RoleSessionName: plan.sessionName,
      DurationSeconds: isLast ? plan.durationSeconds : MIN_DURATION_SECONDS,
    };
    try {
      const response = await stsCall(label, () =>
        viaOidc
          ? client.send(new AssumeRoleWithWebIdentityCommand({ ...request, WebIdentityToken: plan.webIdentityToken }))
          : client.send(
              new AssumeRoleCommand({
                ...request,
                ExternalId: hop.externalId,
                Tags: tagged ? plan.tags : undefined,
              }),
            ),
      );
      credentials = maskCredentials(response.Credentials);
      assumedRoleArn = response.AssumedRoleUser?.Arn ?? '';
    } catch (error) {
      throw new ActionError(
        `assuming ${hop.roleArn} (hop ${index + 1} of ${plan.hops.length}): ${explainRefusal(error, hop, plan, viaOidc, tagged)}`,
        {
          cause: error,
        },
      );
    } finally {
      client.destroy();
    }
    core.info(`${label}: done, session ${assumedRoleArn}`);
  }
  // The assumed-role ARN names the account the credentials act in: arn:aws:sts::<account>:assumed-role/...
  const account = assumedRoleArn.split(':')[4] ?? '';
  return { credentials: credentials!, assumedRoleArn, account };
}
