/**
 * Reads a triggers file: the schedules, event rules and failure notifications of one pipeline,
 * declared beside its definition. Every problem is found before any AWS call, each annotated on its
 * line of the file, the first in the step's error line.
 *
 * ```yaml
 * schedules:
 *   - name: daily
 *     expression: cron(0 6 * * ? *)
 *     timezone: Europe/Paris
 *     parameters: { InputDate: latest }
 * rules:
 *   - name: retrain-on-inference-failure
 *     when: { pipeline: abalone-inference, status: [Failed] }
 * notifications:
 *   topic: ml-pipeline-failures
 *   on: [Failed, Stopped]
 *   subscriptions:
 *     - { protocol: email, endpoint: ml-team@example.com }
 * ```
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { parseArn } from '../runtime/arn.ts';
import { awsCountProblem, awsProblem, type AwsValue } from '../runtime/aws-constraints.ts';
import { canonicalJson } from '../runtime/canonical-json.ts';
import { fileProblemsError, type FileProblem } from '../runtime/errors.ts';
import { SUBSCRIPTION_PROTOCOLS, topicNameProblem } from '../runtime/sns-topic.ts';
import {
  PIPELINE_EXECUTION_STATUSES,
  pipelineArnOf,
  pipelineStatusPattern,
  type PipelineExecutionStatus,
} from '../sagemaker/pipeline-events.ts';
import { MAX_SUBSCRIPTIONS, NOTIFICATIONS_RULE, ruleNameOf } from './ownership.ts';
import { scheduleExpressionProblem, timezoneProblem } from './schedule-expressions.ts';

export type State = 'ENABLED' | 'DISABLED';

export interface ScheduleSpec {
  name: string;
  expression: string;
  timezone: string;
  parameters: Record<string, string>;
  state: State;
  description: string;
}

export interface RuleSpec {
  /** As written in the file; the rule is named `<prefix>.<name>`. */
  name: string;
  pattern: Record<string, unknown>;
  parameters: Record<string, string>;
  state: State;
  description: string;
}

export interface Subscription {
  protocol: string;
  endpoint: string;
}

export interface NotificationSpec {
  topic: string;
  on: PipelineExecutionStatus[];
  subscriptions: Subscription[];
}

export interface TriggersFile {
  schedules: ScheduleSpec[];
  rules: RuleSpec[];
  notifications?: NotificationSpec;
}

export interface FileContext {
  region: string;
  account: string;
  /** The rule name prefix (name-prefix). */
  prefix: string;
}

type Path = (string | number)[];

const INPUT = 'triggers-file';

const SCHEDULE_KEYS = ['name', 'expression', 'timezone', 'parameters', 'state', 'description'];
const RULE_KEYS = ['name', 'when', 'event-pattern', 'parameters', 'state', 'description'];
const WHEN_KEYS = ['pipeline', 'status'];
const NOTIFICATION_KEYS = ['topic', 'on', 'subscriptions'];
const SUBSCRIPTION_KEYS = ['protocol', 'endpoint'];
const STATES: readonly State[] = ['ENABLED', 'DISABLED'];
// Rule names are joined to the prefix with a dot, so a name of the file never holds one.
const RULE_NAME = /^[A-Za-z0-9_-]+$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A path as the file's reader sees it: schedules[0].parameters. */
const shownPath = (path: Path): string =>
  path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');

class Reader {
  readonly problems: FileProblem[] = [];

  private readonly doc: Document;
  private readonly lines: LineCounter;
  private readonly file: string;

  constructor(doc: Document, lines: LineCounter, file: string) {
    this.doc = doc;
    this.lines = lines;
    this.file = file;
  }

  /** The line of the value at `path` (of its key, for a key), or of the nearest enclosing value the file has. */
  private location(path: Path, atKey = false) {
    const parent = path.length > 0 ? this.doc.getIn(path.slice(0, -1), true) : undefined;
    if (atKey && isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path.at(-1));
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range) return this.at(range[0]);
    }
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return this.at(node.range[0]);
    }
    return { file: this.file, line: 1 };
  }

  private at(offset: number) {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  problem(path: Path, text: string, atKey = false): undefined {
    this.problems.push({ problem: `${shownPath(path)} ${text}`, location: this.location(path, atKey) });
    return undefined;
  }

  /** Where a key no reader knows is, for the problem on it. */
  unknownKeys(value: Record<string, unknown>, path: Path, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key))
        this.problem([...path, key], `is not a key of ${shownPath(path) || 'the file'} (${known.join(', ')})`, true);
    }
  }

  mapping(value: unknown, path: Path, known: readonly string[]): Record<string, unknown> | undefined {
    if (!isRecord(value)) return this.problem(path, `must be a mapping of ${known.join(', ')}`);
    this.unknownKeys(value, path, known);
    return value;
  }

  list(value: unknown, path: Path): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return this.problem(path, 'must be a list') ?? [];
    return value;
  }

  text(value: unknown, path: Path, options: { required?: boolean; aws?: AwsValue } = {}): string | undefined {
    if (value === undefined || value === null) {
      if (options.required) this.problem(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'string' && typeof value !== 'number') return this.problem(path, 'must be text');
    const text = String(value);
    const problem = options.aws && awsProblem(options.aws, text);
    if (problem) return this.problem(path, `'${text.length > 64 ? `${text.slice(0, 60)}…` : text}' ${problem}`);
    return text;
  }

  state(value: unknown, path: Path): State {
    if (value === undefined || value === null) return 'ENABLED';
    if (!STATES.includes(value as State)) this.problem(path, `${JSON.stringify(value)} is not ENABLED or DISABLED`);
    return value as State;
  }

  /** A mapping of pipeline parameter names to values, each within the limits of the service that sends it. */
  parameters(value: unknown, path: Path, service: 'schedule' | 'rule'): Record<string, string> {
    if (value === undefined || value === null) return {};
    if (!isRecord(value)) return this.problem(path, 'must be a mapping of pipeline parameter names to values') ?? {};
    const count = awsCountProblem(
      service === 'schedule' ? 'scheduleParameters' : 'ruleParameters',
      Object.keys(value).length,
    );
    if (count) this.problem(path, count);
    const result: Record<string, string> = {};
    for (const [name, raw] of Object.entries(value)) {
      const at = [...path, name];
      const nameProblem = awsProblem(service === 'schedule' ? 'scheduleParameterName' : 'ruleParameterName', name);
      if (nameProblem) {
        this.problem(path, `name '${name}' ${nameProblem}`);
        continue;
      }
      if (!['string', 'number', 'boolean'].includes(typeof raw)) {
        this.problem(at, 'must be text, a number or a boolean');
        continue;
      }
      const text = this.text(String(raw), at, {
        aws: service === 'schedule' ? 'scheduleParameterValue' : 'ruleParameterValue',
      });
      if (text !== undefined) result[name] = text;
    }
    return result;
  }

  /** Names must be unique within their list. */
  unique<T extends { name: string }>(items: { item: T; path: Path }[]): T[] {
    const seen = new Set<string>();
    for (const { item, path } of items) {
      if (seen.has(item.name)) this.problem([...path, 'name'], `'${item.name}' is declared twice`);
      seen.add(item.name);
    }
    return items.map(({ item }) => item);
  }
}

function readSchedule(reader: Reader, value: unknown, path: Path): ScheduleSpec | undefined {
  const entry = reader.mapping(value, path, SCHEDULE_KEYS);
  if (!entry) return undefined;
  const name = reader.text(entry['name'], [...path, 'name'], { required: true, aws: 'scheduleName' });
  let expression = reader.text(entry['expression'], [...path, 'expression'], {
    required: true,
    aws: 'scheduleExpression',
  });
  const expressionProblem = expression === undefined ? undefined : scheduleExpressionProblem(expression);
  if (expressionProblem) expression = reader.problem([...path, 'expression'], `'${expression}' ${expressionProblem}`);
  const timezone = reader.text(entry['timezone'], [...path, 'timezone'], { aws: 'scheduleTimezone' }) ?? 'UTC';
  const zoneProblem = timezoneProblem(timezone);
  if (zoneProblem) reader.problem([...path, 'timezone'], zoneProblem);
  const parameters = reader.parameters(entry['parameters'], [...path, 'parameters'], 'schedule');
  const state = reader.state(entry['state'], [...path, 'state']);
  const description = reader.text(entry['description'], [...path, 'description'], { aws: 'scheduleDescription' });
  if (name === undefined || expression === undefined) return undefined;
  return { name, expression, timezone, parameters, state, description: description ?? '' };
}

function readStatuses(reader: Reader, value: unknown, path: Path, fallback?: PipelineExecutionStatus[]) {
  if ((value === undefined || value === null) && fallback) return fallback;
  const list = typeof value === 'string' ? [value] : reader.list(value, path);
  if (list.length === 0) return reader.problem(path, `needs at least one of ${PIPELINE_EXECUTION_STATUSES.join(', ')}`);
  const statuses: PipelineExecutionStatus[] = [];
  for (const [i, status] of list.entries()) {
    if (!PIPELINE_EXECUTION_STATUSES.includes(status as PipelineExecutionStatus))
      reader.problem(
        typeof value === 'string' ? path : [...path, i],
        `'${String(status)}' is not one of ${PIPELINE_EXECUTION_STATUSES.join(', ')}`,
      );
    else if (!statuses.includes(status as PipelineExecutionStatus)) statuses.push(status as PipelineExecutionStatus);
  }
  return statuses;
}

/** The ARN events name the pipeline by: from its name in this account and region, or from its ARN. */
function watchedPipeline(reader: Reader, value: unknown, path: Path, context: FileContext): string | undefined {
  const text = reader.text(value, path, { required: true });
  if (text === undefined) return undefined;
  if (!text.startsWith('arn:')) {
    const problem = awsProblem('pipelineName', text);
    return problem
      ? reader.problem(path, `'${text}' ${problem}`)
      : pipelineArnOf(context.region, context.account, text);
  }
  const arn = parseArn(text);
  if (!arn || arn.service !== 'sagemaker' || !arn.resource.startsWith('pipeline/'))
    return reader.problem(
      path,
      `'${text}' is not a pipeline ARN (arn:aws:sagemaker:<region>:<account>:pipeline/<name>)`,
    );
  if (arn.region !== context.region)
    return reader.problem(path, `'${text}' is in region ${arn.region}; rules hear the events of their own region only`);
  return text.replace(/pipeline\/.*$/, (resource) => resource.toLowerCase());
}

/** EventBridge matches on arrays of values: a pattern whose leaves are anything else is refused by PutRule. */
function patternProblem(pattern: unknown, path: string[] = []): string | undefined {
  if (!isRecord(pattern) || Object.keys(pattern).length === 0)
    return path.length ? `'${path.join('.')}' must be a mapping or a list of values` : 'must be a non-empty mapping';
  for (const [key, value] of Object.entries(pattern)) {
    if (Array.isArray(value)) {
      if (value.length === 0) return `'${[...path, key].join('.')}' is an empty list, which matches nothing`;
      continue;
    }
    const problem = patternProblem(value, [...path, key]);
    if (problem) return problem;
  }
  return undefined;
}

function readRule(reader: Reader, value: unknown, path: Path, context: FileContext): RuleSpec | undefined {
  const entry = reader.mapping(value, path, RULE_KEYS);
  if (!entry) return undefined;
  let name = reader.text(entry['name'], [...path, 'name'], { required: true });
  if (name !== undefined) {
    const full = ruleNameOf(context.prefix, name);
    const problem = awsProblem('ruleName', full);
    if (!RULE_NAME.test(name))
      name = reader.problem([...path, 'name'], `'${name}' may hold only letters, digits, '-' and '_'`);
    else if (name === NOTIFICATIONS_RULE)
      name = reader.problem(
        [...path, 'name'],
        `'${name}' is the name of the rule notifications: makes; choose another`,
      );
    else if (problem) name = reader.problem([...path, 'name'], `'${name}' makes rule '${full}', which ${problem}`);
  }
  let pattern: Record<string, unknown> | undefined;
  const hasWhen = entry['when'] !== undefined;
  const hasPattern = entry['event-pattern'] !== undefined;
  if (hasWhen === hasPattern) reader.problem(path, 'needs either when: or event-pattern:, not both nor neither');
  else if (hasWhen) {
    const when = reader.mapping(entry['when'], [...path, 'when'], WHEN_KEYS);
    if (when) {
      const arn = watchedPipeline(reader, when['pipeline'], [...path, 'when', 'pipeline'], context);
      const statuses = readStatuses(reader, when['status'], [...path, 'when', 'status']);
      if (arn && statuses) pattern = pipelineStatusPattern(arn, statuses);
    }
  } else {
    const raw = entry['event-pattern'];
    const problem = patternProblem(raw);
    if (problem) reader.problem([...path, 'event-pattern'], problem);
    else {
      const limit = awsProblem('eventPattern', canonicalJson(raw));
      if (limit) reader.problem([...path, 'event-pattern'], `as JSON ${limit}`);
      else pattern = raw as Record<string, unknown>;
    }
  }
  const parameters = reader.parameters(entry['parameters'], [...path, 'parameters'], 'rule');
  const state = reader.state(entry['state'], [...path, 'state']);
  const description = reader.text(entry['description'], [...path, 'description'], { aws: 'ruleDescription' });
  if (name === undefined || pattern === undefined) return undefined;
  return { name, pattern, parameters, state, description: description ?? '' };
}

function readSubscription(reader: Reader, value: unknown, path: Path): Subscription | undefined {
  const entry = reader.mapping(value, path, SUBSCRIPTION_KEYS);
  if (!entry) return undefined;
  const protocol = reader.text(entry['protocol'], [...path, 'protocol'], { required: true });
  const endpoint = reader.text(entry['endpoint'], [...path, 'endpoint'], { required: true });
  if (protocol === undefined || endpoint === undefined) return undefined;
  const kind = SUBSCRIPTION_PROTOCOLS[protocol];
  if (!kind)
    return reader.problem(
      [...path, 'protocol'],
      `'${protocol}' is not one of ${Object.keys(SUBSCRIPTION_PROTOCOLS).join(', ')}`,
    );
  if (!kind.test.test(endpoint))
    return reader.problem([...path, 'endpoint'], `must be ${kind.endpoint} for ${protocol}`);
  return { protocol, endpoint };
}

function readNotifications(reader: Reader, value: unknown, path: Path, context: FileContext) {
  if (value === undefined || value === null) return undefined;
  const entry = reader.mapping(value, path, NOTIFICATION_KEYS);
  if (!entry) return undefined;
  const rule = ruleNameOf(context.prefix, NOTIFICATIONS_RULE);
  const ruleProblem = awsProblem('ruleName', rule);
  if (ruleProblem) reader.problem(path, `need rule '${rule}', which ${ruleProblem}: give a shorter name-prefix`);
  let topic = reader.text(entry['topic'], [...path, 'topic'], { required: true });
  const topicProblem = topic === undefined ? undefined : topicNameProblem(topic);
  if (topicProblem) topic = reader.problem([...path, 'topic'], topicProblem);
  const on = readStatuses(reader, entry['on'], [...path, 'on'], ['Failed']);
  const subscriptions: Subscription[] = [];
  const seen = new Set<string>();
  const listed = reader.list(entry['subscriptions'], [...path, 'subscriptions']);
  if (listed.length > MAX_SUBSCRIPTIONS)
    reader.problem(
      [...path, 'subscriptions'],
      `has ${listed.length} entries; at most ${MAX_SUBSCRIPTIONS} per pipeline (the action records them in one tag of the topic)`,
    );
  for (const [i, item] of listed.entries()) {
    const subscription = readSubscription(reader, item, [...path, 'subscriptions', i]);
    if (!subscription) continue;
    const key = `${subscription.protocol} ${subscription.endpoint}`;
    if (seen.has(key)) reader.problem([...path, 'subscriptions', i], `${key} is declared twice`);
    else subscriptions.push(subscription);
    seen.add(key);
  }
  if (topic === undefined || on === undefined || ruleProblem) return undefined;
  const spec: NotificationSpec = { topic, on, subscriptions };
  return spec;
}

/** Parses and checks a triggers file; throws an InputError on `triggers-file` with every problem found. */
export function readTriggersFile(text: string, shown: string, context: FileContext): TriggersFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const [error] = doc.errors;
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    throw fileProblemsError(INPUT, [
      { problem: `is not valid YAML: ${error.message.split('\n')[0]}`, location: { file: shown, line, column: col } },
    ]);
  }
  const reader = new Reader(doc, lines, shown);
  const root: unknown = doc.toJS();
  const result: TriggersFile = { schedules: [], rules: [] };
  if (root === null || root === undefined) return result;
  if (!isRecord(root) || !isMap(doc.contents)) {
    const kind = isScalar(doc.contents) ? 'a single value' : 'a list';
    throw fileProblemsError(INPUT, [
      {
        problem: `holds ${kind}; it must be a mapping of schedules, rules and notifications`,
        location: { file: shown, line: 1 },
      },
    ]);
  }
  reader.unknownKeys(root, [], ['schedules', 'rules', 'notifications']);
  const schedules = reader
    .list(root['schedules'], ['schedules'])
    .map((item, i) => ({ item: readSchedule(reader, item, ['schedules', i]), path: ['schedules', i] }))
    .filter((entry): entry is { item: ScheduleSpec; path: Path } => entry.item !== undefined);
  const rules = reader
    .list(root['rules'], ['rules'])
    .map((item, i) => ({ item: readRule(reader, item, ['rules', i], context), path: ['rules', i] }))
    .filter((entry): entry is { item: RuleSpec; path: Path } => entry.item !== undefined);
  result.schedules = reader.unique(schedules);
  result.rules = reader.unique(rules);
  const notifications = readNotifications(reader, root['notifications'], ['notifications'], context);
  if (notifications) result.notifications = notifications;
  if (reader.problems.length > 0) throw fileProblemsError(INPUT, reader.problems);
  return result;
}
