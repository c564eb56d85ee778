/** Links to the AWS console for what the actions report on, so a summary row leads to the details. */
import type { JobKind } from './executions.ts';

const console = (region: string, service: string, fragment: string): string =>
  `https://${region}.console.aws.amazon.com/${service}/home?region=${region}#${fragment}`;

/** CloudWatch's console fragment: names escaped twice ("/" → "$252F"), its own "?" and "=" once ("$3F"). */
const cloudWatchEscape = (text: string): string => encodeURIComponent(encodeURIComponent(text)).replace(/%/g, '$');

export function sagemakerJobLink(region: string, kind: JobKind, jobName: string): string {
  const path = { Training: 'jobs', Processing: 'processing-jobs', Transform: 'transform-jobs' }[kind];
  return console(region, 'sagemaker', `/${path}/${jobName}`);
}

export function logGroupLink(region: string, logGroup: string, streamPrefix?: string): string {
  const filter = streamPrefix ? `$3FlogStreamNameFilter$3D${cloudWatchEscape(streamPrefix)}` : '';
  return console(region, 'cloudwatch', `logsV2:log-groups/log-group/${cloudWatchEscape(logGroup)}${filter}`);
}

export function endpointLink(region: string, endpointName: string): string {
  return console(region, 'sagemaker', `/endpoints/${endpointName}`);
}
