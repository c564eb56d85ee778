import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/runtime/errors.ts';
import { fullJitterDelay, withRetries } from '../../src/runtime/retry.ts';
import { escapeMarkdown, SummaryBuilder } from '../../src/runtime/summary.ts';

describe('withRetries', () => {
  it('retries retryable errors with full-jitter delays below the exponential ceiling', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 4) throw Object.assign(new Error('slow down'), { name: 'Throttling' });
        return 'ok';
      },
      {
        attempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 250,
        isRetryable: (error) => (error as Error).name === 'Throttling',
        sleep: async (ms) => void delays.push(ms),
        random: () => 0.999,
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    // ceilings 100, 200, then capped at 250
    expect(delays).toEqual([99, 199, 249]);
  });

  it('gives up at once on errors that are not retryable, and after the last attempt otherwise', async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new Error('AccessDenied');
        },
        { attempts: 5, baseDelayMs: 1, maxDelayMs: 1, isRetryable: () => false, sleep: async () => {} },
      ),
    ).rejects.toThrow('AccessDenied');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new Error('flaky');
        },
        { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, isRetryable: () => true, sleep: async () => {} },
      ),
    ).rejects.toThrow('flaky');
    expect(calls).toBe(3);
  });

  it('draws delays from zero up to the ceiling', () => {
    expect(fullJitterDelay(3, { baseDelayMs: 100, maxDelayMs: 10_000, random: () => 0 })).toBe(0);
    expect(fullJitterDelay(3, { baseDelayMs: 100, maxDelayMs: 10_000, random: () => 0.5 })).toBe(400);
  });
});

describe('describeError', () => {
  it('keeps AWS error codes and request ids on one line', () => {
    const error = Object.assign(new Error('Not authorized\nto perform'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403, requestId: 'req-1' },
    });
    expect(describeError(error)).toBe('AccessDenied: Not authorized to perform (request id req-1)');
  });
});

describe('SummaryBuilder', () => {
  it('escapes user text so it cannot break tables or inject HTML', () => {
    expect(escapeMarkdown('a|b <script>')).toBe('a\\|b &lt;script&gt;');
    const markdown = new SummaryBuilder().table(['Step', 'Reason'], [['train|x', 'line1\nline2 <b>']]).toString();
    const row = markdown.split('\n')[2]!;
    expect(row.split(/(?<!\\)\|/).length).toBe(4);
    expect(markdown).not.toContain('<b>');
    expect(markdown).toContain('line1<br>line2');
  });

  it('keeps the summary under the 1 MiB step limit', () => {
    const builder = new SummaryBuilder();
    for (let i = 0; i < 3000; i++) builder.paragraph('x'.repeat(500));
    const markdown = builder.toString();
    expect(Buffer.byteLength(markdown)).toBeLessThan(1024 * 1024);
    expect(markdown).toContain('Summary truncated');
  });
});

describe('console links', async () => {
  const { logGroupLink, sagemakerJobLink } = await import('../../src/sagemaker/console-links.ts');
  it('escape log group names the way the CloudWatch console expects', () => {
    expect(logGroupLink('eu-west-1', '/aws/sagemaker/TrainingJobs', 'job-1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Fsagemaker$252FTrainingJobs$3FlogStreamNameFilter$3Djob-1',
    );
    expect(sagemakerJobLink('us-east-1', 'Processing', 'p-1')).toBe(
      'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/processing-jobs/p-1',
    );
  });
});
