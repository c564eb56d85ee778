/** When credentials are renewed, and what a step says when they expired and could not be. */
import { describe, expect, it, vi } from 'vitest';
import { renewingCredentials, stillFresh } from '../../src/runtime/credential-refresh.ts';
import { expiredCredentialsMessage, isExpiredCredentialsError } from '../../src/runtime/expired-credentials.ts';

const NOW = Date.parse('2026-12-02T06:00:00Z');
const identity = (key: string, secondsLeft?: number) => ({
  accessKeyId: key,
  secretAccessKey: 'secret',
  ...(secondsLeft !== undefined ? { expiration: new Date(NOW + secondsLeft * 1000) } : {}),
});

describe('stillFresh', () => {
  it.each([
    // seconds left on the wall clock, clock scale, fresh?
    [undefined, 1, true],
    [301, 1, true],
    [299, 1, false],
    [6, 600, true], // an hour of simulated time at scale 600
    [2.5, 600, true],
    [1.9, 600, false], // five simulated minutes are half a second: keep two real seconds in hand
    [0.4, 600, false],
  ])('%s s left at scale %d: %s', (left, scale, fresh) => {
    expect(stillFresh(identity('A', left), scale, NOW)).toBe(fresh);
  });
});

describe('renewingCredentials', () => {
  it('asks its source again only when the held credentials are near expiry, and says when it got new ones', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    try {
      const answers = [identity('A', 6), identity('A', 6), identity('B', 6)];
      const source = vi.fn(async () => answers.shift()!);
      const renewed = vi.fn();
      const provider = renewingCredentials(source, { scale: 600, onRenewed: renewed });
      expect((await provider()).accessKeyId).toBe('A');
      expect((await provider()).accessKeyId).toBe('A');
      expect(source).toHaveBeenCalledTimes(1);
      vi.setSystemTime(NOW + 4_500);
      // The SDK's chain may hand back the old key while it renews in the background.
      expect((await provider()).accessKeyId).toBe('A');
      expect((await provider()).accessKeyId).toBe('B');
      expect(source).toHaveBeenCalledTimes(3);
      expect(renewed).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('expired credentials', () => {
  it('recognises the codes of every protocol', () => {
    const aws = (name: string) => Object.assign(new Error('x'), { name, $metadata: {} });
    expect(isExpiredCredentialsError(aws('ExpiredToken'))).toBe(true);
    expect(isExpiredCredentialsError(aws('ExpiredTokenException'))).toBe(true);
    expect(isExpiredCredentialsError(aws('AccessDeniedException'))).toBe(false);
    expect(isExpiredCredentialsError(new Error('ExpiredToken'))).toBe(false);
  });

  it('says in one line that they expired, when, how to fix it, what still runs and how to resume', () => {
    const arn = 'arn:aws:sagemaker:eu-west-1:222222222222:pipeline/abalone/execution/abc';
    const message = expiredCredentialsMessage({
      profile: 'prod',
      expiredAt: new Date('2026-12-02T07:00:00Z'),
      refusedAt: new Date('2026-12-02T07:00:05Z'),
      stillRunning: `the execution ${arn} is still running`,
      resume: `resume waiting on it with start-execution's execution-arn: ${arn}`,
    });
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^the AWS credentials of profile 'prod' expired at 2026-12-02T07:00:00.000Z/);
    expect(message).toContain('refresh-credentials: true');
    expect(message).toContain(`the execution ${arn} is still running`);
    expect(message).toContain(`execution-arn: ${arn}`);
    expect(
      expiredCredentialsMessage({ refusedAt: new Date('2026-12-02T07:00:05Z'), stillRunning: 's', resume: 'r' }),
    ).toMatch(/^the AWS credentials expired \(AWS refused them at 2026-12-02T07:00:05.000Z\)/);
  });
});
