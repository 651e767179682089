import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { badRequest } from '../errors';
import { json, type Route, type RouteContext } from '../router';
import { asObject, requireString } from '../validate';

export type FakeContentBlock =
  { type: 'text'; text: string } | { type: 'tool_use'; name: string; input: unknown; id?: string };

export interface FakeMessageReply {
  content: FakeContentBlock[];
  stop_reason?: Message['stop_reason'];
  usage?: { input_tokens?: number; output_tokens?: number };
}

/** Answers `POST /v1/messages`. Return a string for a plain text reply; throw `FakeApiError` to answer with an error. */
export type MessagesResponder = (
  request: MessageCreateParamsNonStreaming,
) => FakeMessageReply | string | Promise<FakeMessageReply | string>;

export const defaultResponder: MessagesResponder = () => 'OK';

async function createMessage(ctx: RouteContext) {
  const input = asObject(ctx.body);
  const model = requireString(input, 'model');
  if (typeof input['max_tokens'] !== 'number') throw badRequest('max_tokens: Field required');
  if (!Array.isArray(input['messages']) || input['messages'].length === 0) throw badRequest('messages: Field required');
  if (input['stream'] === true) throw badRequest('Fake: streaming messages are not implemented');
  const raw = await ctx.messagesResponder()(input as unknown as MessageCreateParamsNonStreaming);
  const reply: FakeMessageReply = typeof raw === 'string' ? { content: [{ type: 'text', text: raw }] } : raw;
  const content = reply.content.map((block) =>
    block.type === 'text'
      ? { type: 'text', text: block.text, citations: null }
      : {
          type: 'tool_use',
          id: block.id ?? ctx.state.ids.next('toolu'),
          name: block.name,
          input: block.input,
          caller: { type: 'direct' },
        },
  );
  const outputChars = reply.content.reduce(
    (n, b) => n + (b.type === 'text' ? b.text.length : JSON.stringify(b.input).length),
    0,
  );
  const message = {
    id: ctx.state.ids.next('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: reply.stop_reason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: reply.usage?.input_tokens ?? Math.ceil(JSON.stringify(input['messages']).length / 4),
      output_tokens: reply.usage?.output_tokens ?? Math.max(1, Math.ceil(outputChars / 4)),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: null,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
      speed: null,
    },
  };
  return json(message);
}

export const messageRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/messages', family: 'messages', handle: createMessage },
];
