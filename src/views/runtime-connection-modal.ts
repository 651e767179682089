import type { ModalView } from '@slack/types';
import type { Bot } from '../domain/bots';
import type { SelfHostedConnection, WebhookDelivery } from '../domain/self-hosted';
import { clip, context, divider, escapeMrkdwn, section, type Blocks } from './blocks';
import type { ConnectionMetadata } from './connection-modal';
import { connectionHeader, guidanceInput, toolBlocks } from './connection-parts';
import { button, modal, plainInput, plainText } from './elements';
import { ACTION, INPUT, VIEW } from './ids';

/** What the runtime answered to "Send test event", or that it is on its way. */
export type TestResult =
  { state: 'sending' } | { state: 'answered'; status: number | null; durationMs: number; detail: string };

export interface RuntimeConnectionModalInput {
  bot: Bot;
  connection: SelfHostedConnection | undefined;
  deliveries: WebhookDelivery[];
  /** A signing secret made just now: shown this once, never again. */
  newSecret?: string | undefined;
  test?: TestResult | undefined;
  /** Where the runtime calls back and finds the OpenAPI document. */
  apiUrl: string;
}

const when = (date: Date) =>
  `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${date.toISOString()}>`;

function testText(test: TestResult): string {
  if (test.state === 'sending') return ':hourglass_flowing_sand: Sending a test event…';
  const answer = test.detail ? `\n\`\`\`${clip(test.detail.replace(/`/g, "'"), 300)}\`\`\`` : '';
  if (test.status === null) return `:x: ${escapeMrkdwn(test.detail)}`;
  const icon = test.status >= 200 && test.status < 300 ? ':white_check_mark:' : ':x:';
  return `${icon} Test event: the runtime answered *${test.status}* in ${test.durationMs} ms.${answer}`;
}

function deliveryLine(d: WebhookDelivery): string {
  const status = d.status === null ? 'no answer' : String(d.status);
  return `${when(d.at)} · \`${escapeMrkdwn(d.event)}\` · attempt ${d.attempt} · ${status} · ${d.durationMs} ms · ${d.outcome}`;
}

/** A Self-hosted bot's runtime: URL, the signing secret (shown once, Rotate), Send test event, the delivery log. */
export function buildRuntimeConnectionModal(input: RuntimeConnectionModalInput): ModalView {
  const { bot, connection } = input;
  const blocks: Blocks = connectionHeader(bot, 'Self-hosted');
  if (connection?.disabledAt) {
    blocks.push(
      section(
        `:no_entry: *Deliveries stopped* ${when(connection.disabledAt)}: ${escapeMrkdwn(connection.disabledReason ?? 'the runtime answered 410 Gone')}. Save to send again.`,
      ),
    );
  }
  if (input.newSecret) {
    blocks.push(
      section(
        `:key: *Signing secret* (shown only now: copy it into your runtime)\n\`\`\`${input.newSecret}\`\`\`` +
          '\nVerify every delivery with it (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`).',
      ),
    );
  }
  blocks.push(
    plainInput(INPUT.runtimeUrl, 'Webhook URL', {
      initial: connection?.url,
      maxLength: 2000,
      placeholder: 'https://runtime.example.com/baton',
      hint: 'Baton POSTs signed webhooks here. Use https (plain http only for localhost).',
    }),
    guidanceInput(connection?.guidance),
  );
  if (connection) {
    const rotation = connection.previousExpiresAt
      ? ` The previous secret also signs until ${when(connection.previousExpiresAt)}.`
      : '';
    blocks.push(divider(), section(`*Signing secret* \`${connection.secretHint}\`.${rotation}`), {
      type: 'actions',
      block_id: 'runtime_actions',
      elements: [
        button('Rotate', ACTION.rotateSecret, bot.id, {
          confirm: {
            title: plainText('Rotate the signing secret?'),
            text: {
              type: 'mrkdwn',
              text: 'Baton makes a new secret and shows it once. Both secrets sign deliveries until the runtime has the new one (24 hours by default).',
            },
            confirm: plainText('Rotate'),
            deny: plainText('Cancel'),
          },
        }),
        button('Send test event', ACTION.sendTestEvent, bot.id),
      ],
    });
    if (input.test) blocks.push(section(testText(input.test)));
    const shown = input.deliveries.slice(0, 10);
    blocks.push(
      section(
        shown.length > 0
          ? `*Recent deliveries*\n${shown.map(deliveryLine).join('\n')}`
          : '*Recent deliveries*\nNone yet.',
      ),
    );
  }
  blocks.push(
    context(
      `The runtime calls back at ${input.apiUrl} with an API token of this bot (create one with \`/baton tokens\`). ` +
        `API reference: ${input.apiUrl}/openapi.json`,
    ),
    divider(),
    ...toolBlocks(bot),
  );
  return modal(VIEW.runtimeConnection, 'Agent connection', blocks, {
    submit: 'Save',
    privateMetadata: JSON.stringify({ botId: bot.id } satisfies ConnectionMetadata),
  });
}
