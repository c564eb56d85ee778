import * as core from '@actions/core';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeEndpointCommand,
  SageMakerClient,
  type DescribeEndpointCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { createClient } from '../runtime/aws-client.ts';
import { systemClock } from '../runtime/clock.ts';
import { endpointLink, logGroupLink } from '../sagemaker/console-links.ts';
import { ActionError, describeError } from '../runtime/errors.ts';
import { unlessNotFound } from '../runtime/not-found.ts';
import { explainExpiry } from '../runtime/expired-credentials.ts';
import { endpointLogGroup, lastLogLines, type LogExcerpt } from '../sagemaker/log-excerpts.ts';
import { pollFailedLine, progressLine, timedOutText, waitingLine } from '../runtime/log-lines.ts';
import { WaitTimeoutError, waitUntil } from '../runtime/poll.ts';
import { SummaryBuilder } from '../runtime/summary.ts';
import { readInputs, type Inputs } from './inputs.ts';
import { endpointStatusLine, judge, type Verdict } from './verdict.ts';

export const ACTION_NAME = 'wait-for-endpoint';

function describe(
  client: SageMakerClient,
  name: string,
  signal: AbortSignal,
): Promise<DescribeEndpointCommandOutput | undefined> {
  return unlessNotFound(client.send(new DescribeEndpointCommand({ EndpointName: name }), { abortSignal: signal }));
}

async function endpointLogs(inputs: Inputs): Promise<LogExcerpt[]> {
  if (inputs.logLines === 0) return [];
  const logs = createClient(CloudWatchLogsClient, inputs);
  try {
    return await lastLogLines(logs, {
      logGroup: endpointLogGroup(inputs.endpointName),
      lines: inputs.logLines,
    });
  } catch (error) {
    core.warning(`Cannot read the endpoint's logs: ${describeError(error)}`);
    return [];
  } finally {
    logs.destroy();
  }
}

interface DeployedImage {
  variant: string;
  specified: string;
  resolved: string;
}

function deployedImages(endpoint: DescribeEndpointCommandOutput | undefined): DeployedImage[] {
  return (endpoint?.ProductionVariants ?? []).flatMap((variant) =>
    (variant.DeployedImages ?? []).map((image) => ({
      variant: variant.VariantName ?? '',
      specified: image.SpecifiedImage ?? '',
      resolved: image.ResolvedImage ?? '',
    })),
  );
}

async function writeSummary(
  inputs: Inputs,
  endpoint: DescribeEndpointCommandOutput | undefined,
  verdict: Verdict,
  logs: LogExcerpt[],
): Promise<void> {
  const summary = new SummaryBuilder()
    .heading(`Endpoint ${inputs.endpointName}: ${verdict.kind === 'success' ? 'InService' : 'not ready'}`)
    .keyValues([
      ['Status', endpoint?.EndpointStatus ?? 'does not exist'],
      ['Live config', endpoint?.EndpointConfigName],
      ['Expected config', inputs.expectedConfig],
      ['Problem', verdict.kind === 'failure' ? verdict.reason : undefined],
      [
        'Console',
        endpoint ? { link: inputs.endpointName, href: endpointLink(inputs.region, inputs.endpointName) } : undefined,
      ],
    ]);
  summary.table(
    ['Variant', 'Instances', 'Status', 'Image'],
    (endpoint?.ProductionVariants ?? []).map((variant) => [
      variant.VariantName ?? '',
      `${variant.CurrentInstanceCount ?? '?'} / ${variant.DesiredInstanceCount ?? '?'}`,
      (variant.VariantStatus ?? []).map((s) => s.Status).join(', ') || 'ready',
      { code: (variant.DeployedImages ?? []).map((image) => image.ResolvedImage ?? image.SpecifiedImage).join(' ') },
    ]),
  );
  for (const excerpt of logs) summary.paragraph(`Last lines of ${excerpt.stream}:`).codeBlock(excerpt.lines.join('\n'));
  if (verdict.kind === 'failure') {
    summary.table(
      ['Logs'],
      [
        [
          {
            link: 'CloudWatch Logs',
            href: logGroupLink(inputs.region, endpointLogGroup(inputs.endpointName)),
          },
        ],
      ],
    );
  }
  await summary.write();
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const client = createClient(SageMakerClient, inputs);
  let last: DescribeEndpointCommandOutput | undefined;
  let lastLine = '';
  let verdict: Verdict = { kind: 'waiting' };
  const bound = { input: 'timeout-minutes', minutes: inputs.timeoutMinutes };
  const goal = `be InService${inputs.expectedConfig ? ` on ${inputs.expectedConfig}` : ''}`;
  core.info(waitingLine(`endpoint ${inputs.endpointName}`, goal, bound));
  try {
    await waitUntil({
      clock: systemClock(),
      timeoutMs: inputs.timeoutMinutes * 60_000,
      poll: async (signal) => {
        last = await describe(client, inputs.endpointName, signal);
        if (!last && !inputs.waitForCreation) {
          throw new ActionError(
            `endpoint ${inputs.endpointName} does not exist (set wait-for-creation: true to wait for it)`,
          );
        }
        verdict = judge(last, inputs);
        return verdict;
      },
      isDone: (current) => current.kind !== 'waiting',
      onPoll: (_, elapsedMs) => {
        const line = last ? endpointStatusLine(last) : 'does not exist yet';
        if (line !== lastLine) core.info(progressLine(elapsedMs, inputs.endpointName, line));
        lastLine = line;
      },
      onTransientError: (error, consecutive) => core.info(pollFailedLine('the endpoint', error, consecutive)),
    });
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) {
      throw await explainExpiry(error, client, {
        ...(inputs.profile ? { profile: inputs.profile } : {}),
        stillRunning: `endpoint ${inputs.endpointName} goes on ${last ? `(${endpointStatusLine(last)})` : 'being created'}`,
        resume: `wait again with wait-for-endpoint's endpoint-name: ${inputs.endpointName} and expected-config: ${inputs.expectedConfig ?? '(the same)'}`,
      });
    }
    verdict = {
      kind: 'failure',
      reason: `${timedOutText(error.elapsedMs, bound)} with the endpoint ${last ? endpointStatusLine(last) : 'not created'}`,
    };
  } finally {
    client.destroy();
  }

  const images = deployedImages(last);
  core.setOutput('status', last?.EndpointStatus ?? '');
  core.setOutput('endpoint-arn', last?.EndpointArn ?? '');
  core.setOutput('endpoint-config-name', last?.EndpointConfigName ?? '');
  core.setOutput('deployed-images', JSON.stringify(images));
  core.setOutput(
    'image-digests',
    JSON.stringify([...new Set(images.map((image) => image.resolved.split('@')[1] ?? '').filter(Boolean))]),
  );
  const logs = verdict.kind === 'failure' ? await endpointLogs(inputs) : [];
  for (const excerpt of logs) {
    core.startGroup(`Last ${excerpt.lines.length} log lines of ${excerpt.stream}`);
    for (const line of excerpt.lines) core.info(line);
    core.endGroup();
  }
  await writeSummary(inputs, last, verdict, logs);
  if (verdict.kind === 'failure') throw new ActionError(`${inputs.endpointName}: ${verdict.reason}`);
  core.info(`${inputs.endpointName} is InService on ${last?.EndpointConfigName}`);
}
