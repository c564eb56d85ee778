import type { SimClock } from './clock.ts';
import type { LoadedUser, LoadedWorld } from './world.ts';

export interface SessionTag {
  Key: string;
  Value: string;
}

/** Temporary credentials issued by STS; they act in the account of the role they came from. */
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Simulated epoch ms at which the session ends: sessions age on the emulator's clock like everything else. */
  expiresAt: number;
  /** The Expiration STS reported: the wall-clock instant the simulated lifetime was due to end. */
  reportedExpiration: number;
  accountId: string;
  roleArn: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  /** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  arn: string;
  /** ROLEID:SESSION */
  userId: string;
  tags: SessionTag[];
  /** The subset of tags that sessions chained from this one inherit. */
  transitiveTags: SessionTag[];
  sourceIdentity: string | null;
  webIdentity: { providerArn: string; subject: string; audience: string } | null;
}

export interface UserCaller {
  kind: 'user';
  accountId: string;
  arn: string;
  userId: string;
  accessKeyId: string;
  user: LoadedUser;
}

export interface SessionCaller {
  kind: 'assumed-role';
  accountId: string;
  arn: string;
  userId: string;
  accessKeyId: string;
  session: Session;
}

export interface AnonymousCaller {
  kind: 'anonymous';
  accountId: null;
  arn: null;
  userId: null;
  accessKeyId: null;
}

export type AuthenticatedCaller = UserCaller | SessionCaller;
export type Caller = AuthenticatedCaller | AnonymousCaller;

export const ANONYMOUS: AnonymousCaller = {
  kind: 'anonymous',
  accountId: null,
  arn: null,
  userId: null,
  accessKeyId: null,
};

export interface KnownKey {
  secretAccessKey: string;
  sessionToken: string | null;
  /** True once the simulated clock passed the session's end (never for long-term keys). */
  expired: boolean;
  caller: AuthenticatedCaller;
}

/** Every access key the emulator will accept: the world's users plus live STS sessions. */
export class CredentialStore {
  private readonly sessions = new Map<string, Session>();
  private readonly world: () => LoadedWorld;
  private readonly clock: SimClock;

  constructor(world: () => LoadedWorld, clock: SimClock) {
    this.world = world;
    this.clock = clock;
  }

  find(accessKeyId: string): KnownKey | undefined {
    const user = this.world().usersByAccessKey.get(accessKeyId);
    if (user) {
      const caller: UserCaller = {
        kind: 'user',
        accountId: user.accountId,
        arn: user.arn,
        userId: user.userId,
        accessKeyId,
        user,
      };
      return { secretAccessKey: user.secretAccessKey, sessionToken: null, expired: false, caller };
    }
    const session = this.sessions.get(accessKeyId);
    if (!session) return undefined;
    const caller: SessionCaller = {
      kind: 'assumed-role',
      accountId: session.accountId,
      arn: session.arn,
      userId: session.userId,
      accessKeyId,
      session,
    };
    return {
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      expired: this.clock.now() >= session.expiresAt,
      caller,
    };
  }

  addSession(session: Session): void {
    this.sessions.set(session.accessKeyId, session);
  }

  clearSessions(): void {
    this.sessions.clear();
  }
}
