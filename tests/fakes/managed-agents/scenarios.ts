import { readFileSync } from 'node:fs';
import type { ScenarioContext, ScenarioDefinition, Step } from './scenario-types';

const firstMcpServer = (ctx: ScenarioContext): string =>
  ctx.options['server'] ?? ctx.agent.mcp_servers[0]?.name ?? 'linear';
const delay = (ctx: ScenarioContext, fallback: number): number => Number(ctx.options['delayMs'] ?? fallback);

function longText(minChars: number): string {
  const lines: string[] = [];
  let total = 0;
  for (let i = 1; total <= minChars; i += 1) {
    const line = `${String(i).padStart(5, '0')}. The quick brown fox jumps over the lazy dog, and the report goes on.`;
    lines.push(line);
    total += line.length + 1;
  }
  return lines.join('\n');
}

const answer = (ctx: ScenarioContext): string => ctx.options['text'] ?? `Answer to: ${ctx.userText}`;

const plain = (ctx: ScenarioContext): Step[] => [
  { modelRequestStart: true },
  { thinking: true },
  { message: answer(ctx) },
  { modelRequestEnd: true },
];

const toolConfirmation = (ctx: ScenarioContext): Step[] => {
  const server = firstMcpServer(ctx);
  const tool = ctx.options['tool'] ?? 'create_issue';
  return [
    { mcpAuth: { server } },
    { modelRequestStart: true },
    { message: `I'll call ${tool} on ${server}.` },
    { mcpToolUse: { server, name: tool, input: { title: ctx.userText }, as: 'call' } },
    { modelRequestEnd: true },
    { awaitConfirmation: 'call' },
    { toolResult: 'call', text: ctx.options['result'] ?? 'Created ENG-42' },
    { modelRequestStart: true },
    {
      ifDenied: 'call',
      then: [{ message: `Understood, I did not call ${tool}.` }],
      else: [{ message: `Done: ${ctx.options['result'] ?? 'Created ENG-42'}.` }],
    },
    { modelRequestEnd: true },
  ];
};

const mcpAuthFailure =
  (retryStatus: 'exhausted' | 'retrying' | 'terminal') =>
  (ctx: ScenarioContext): Step[] => [
    { mcpAuth: { server: firstMcpServer(ctx), force: true, retryStatus } },
    // Only reached when retrying: the turn goes on without the server (variant C2).
    { modelRequestStart: true },
    { message: `I could not authenticate to ${firstMcpServer(ctx)}, so I answered without it.` },
    { modelRequestEnd: true },
  ];

/** Variant C4: no session.error; the tool call itself fails. */
const mcpAuthFailureToolResult = (ctx: ScenarioContext): Step[] => [
  { modelRequestStart: true },
  { mcpToolUse: { server: firstMcpServer(ctx), name: 'list_issues', input: {}, as: 'call', permission: 'allow' } },
  { modelRequestEnd: true },
  { toolResult: 'call', text: 'MCP server rejected the credential (401 Unauthorized)', isError: true },
  { modelRequestStart: true },
  { message: `The ${firstMcpServer(ctx)} server rejected my credentials.` },
  { modelRequestEnd: true },
];

const errorMidStream =
  (fallback: 'exhausted' | 'terminal') =>
  (ctx: ScenarioContext): Step[] => [
    { modelRequestStart: true },
    { message: 'Let me look into that.' },
    { modelRequestEnd: true },
    { modelRequestStart: true },
    { thinking: true },
    {
      fail: { type: ctx.options['error'] ?? 'model_overloaded_error', message: 'The model is overloaded.' },
      retryStatus: ctx.options['retry'] === 'terminal' || fallback === 'terminal' ? 'terminal' : 'exhausted',
    },
  ];

const slow = (ctx: ScenarioContext): Step[] => {
  const ms = delay(ctx, 200);
  return [
    { delayMs: ms },
    { modelRequestStart: true },
    { delayMs: ms },
    { thinking: true },
    { delayMs: ms },
    { message: answer(ctx) },
    { delayMs: ms },
    { modelRequestEnd: true },
    { delayMs: ms },
  ];
};

/** The stream drops mid-turn; the turn goes on, so later events are only found via events.list or a new stream. */
const streamCut = (ctx: ScenarioContext): Step[] => [
  { modelRequestStart: true },
  { message: 'First part, before the cut.' },
  { cutStream: ctx.options['mode'] === 'end' ? 'end' : 'destroy' },
  { delayMs: delay(ctx, 50) },
  { message: 'Second part, after the cut.' },
  { modelRequestEnd: true },
];

export const BUILT_IN_SCENARIOS: Record<string, ScenarioDefinition> = {
  plain,
  'tool-confirmation': toolConfirmation,
  'mcp-auth-failure': mcpAuthFailure('exhausted'),
  'mcp-auth-failure-retrying': mcpAuthFailure('retrying'),
  'mcp-auth-failure-terminal': mcpAuthFailure('terminal'),
  'mcp-auth-failure-tool-result': mcpAuthFailureToolResult,
  'long-output': (ctx) => [
    { modelRequestStart: true },
    { message: longText(Number(ctx.options['chars'] ?? 60_000)) },
    { modelRequestEnd: true },
  ],
  'error-mid-stream': errorMidStream('exhausted'),
  'error-mid-stream-terminal': errorMidStream('terminal'),
  slow,
  'stream-cut': streamCut,
};

const MARKER = /\[scenario:([a-z0-9_-]+)((?:\s+[A-Za-z_]+=(?:"[^"]*"|[^\s\]]+))*)\s*\]/i;

/** Finds `[scenario:name key=value key2="two words"]` in a user message. */
export function parseScenarioMarker(
  text: string,
): { name: string; options: Record<string, string>; rest: string } | undefined {
  const m = MARKER.exec(text);
  if (!m) return undefined;
  const options: Record<string, string> = {};
  for (const pair of (m[2] ?? '').matchAll(/([A-Za-z_]+)=("[^"]*"|[^\s\]]+)/g)) {
    options[pair[1] ?? ''] = (pair[2] ?? '').replace(/^"|"$/g, '');
  }
  return { name: (m[1] ?? '').toLowerCase(), options, rest: text.replace(m[0], '').trim() };
}

/** Replaces `{{userText}}` and `{{options.key}}` in every string of a JSON scenario. */
function fillTemplate(value: unknown, ctx: ScenarioContext): unknown {
  if (typeof value === 'string') {
    return value
      .replaceAll('{{userText}}', ctx.userText)
      .replace(/\{\{options\.([A-Za-z_]+)\}\}/g, (_, key: string) => ctx.options[key] ?? '');
  }
  if (Array.isArray(value)) return value.map((v) => fillTemplate(v, ctx));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillTemplate(v, ctx)]));
  }
  return value;
}

/** Loads a `{ "name": "...", "steps": [...] }` JSON scenario (see tests/fixtures/managed-agents/). */
export function loadScenarioFile(path: string): { name: string; definition: ScenarioDefinition } {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; steps?: unknown };
  if (typeof parsed.name !== 'string' || !Array.isArray(parsed.steps)) {
    throw new Error(`${path}: a scenario file needs "name" and "steps"`);
  }
  const steps = parsed.steps as Step[];
  return { name: parsed.name, definition: (ctx) => fillTemplate(steps, ctx) as Step[] };
}
