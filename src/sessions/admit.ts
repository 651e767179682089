import { formatUsd } from '../domain/channel-settings';
import type { SessionSpendRecord } from '../ports/settings';
import { monthStart } from '../settings/month';
import { escapeMrkdwn } from '../views/blocks';
import { parseConfigSnapshot } from './config-snapshot';
import type { SessionDeps } from './deps';
import { auditOf } from './describe-config';
import { mayStart, type Resolution, type SessionConfig } from './resolve-config';
import type { RunContext } from './run-context';
import { loadSessionConfig } from './session-config';

export type Admission =
  | {
      ok: true;
      spend: SessionSpendRecord;
      config: SessionConfig;
      /** The audit entry of a session admitted now, written beside its card (the card does not wait for it). */
      audited: Promise<void>;
    }
  | { ok: false; reason: string };

async function groupsOf(deps: SessionDeps, ctx: RunContext, groups: string[]): Promise<string[]> {
  const client = await deps.slack.forTeam(ctx.team);
  const member = await Promise.all(
    groups.map(async (usergroup) => {
      const users = await client.usergroups.users
        .list({ usergroup })
        .then((r) => r.users ?? [])
        .catch((): string[] => []);
      return users.includes(ctx.session.requesterId) ? [usergroup] : [];
    }),
  );
  return member.flat();
}

async function whoCanRaise(deps: SessionDeps, teamId: string): Promise<string> {
  const admins = (await deps.stores.admins.list(teamId)).map((id) => `<@${id}>`);
  return admins.length > 0 ? `${admins.join(', ')} or a workspace admin` : 'a workspace admin or owner';
}

/**
 * Decides whether a new session may start, once: the resolver's configuration, the channel's rule on who may start,
 * and its monthly cap. An admitted session's limit and configuration are recorded before its card (and audited beside
 * it), so a resumed run, the card and Details read the same configuration the provider got. `justMade`: the
 * configuration of a session the caller made a moment ago (so it has no record yet), read beside making it.
 */
export async function admit(deps: SessionDeps, ctx: RunContext, justMade?: Resolution): Promise<Admission> {
  const { session, bot } = ctx;
  const key = { teamId: session.teamId, enterpriseId: session.enterpriseId, channelId: session.channelId };
  const loadConfig = () => loadSessionConfig(deps.settings, key, bot.id, bot);
  // A session with its card up was admitted (its record holds its configuration); any other is most likely new, so
  // its record and configuration are read together.
  const [existing, loaded] = session.cardTs
    ? [await deps.spend.get(session.id), undefined]
    : justMade
      ? [undefined, justMade]
      : await Promise.all([deps.spend.get(session.id), loadConfig()]);
  const stored = existing ? parseConfigSnapshot(existing.config) : undefined;
  if (existing && stored) return { ok: true, spend: existing, config: stored, audited: Promise.resolve() };
  const resolution = loaded ?? (await loadConfig());

  if (!resolution.ok) return { ok: false, reason: resolution.problem };
  const { config } = resolution;
  // Rules and caps decide whether a session starts; one already under way (its card is up) is never stopped here.
  const isNew = !session.cardTs;
  if (isNew && config.starters.value.mode === 'named' && !config.starters.value.users.includes(session.requesterId)) {
    const groups = await groupsOf(deps, ctx, config.starters.value.groups);
    if (!mayStart(config, session.requesterId, groups)) {
      return {
        ok: false,
        reason:
          `Only the people and groups named in this channel's settings can start sessions with ` +
          `*${escapeMrkdwn(bot.displayName)}* here. Ask ${await whoCanRaise(deps, session.teamId)} to add you with \`/baton channel\`.`,
      };
    }
  }
  const cap = config.monthlyCapCents;
  if (isNew && cap !== null) {
    const spentUsd = await deps.spend.channelSpendSince(session.teamId, session.channelId, monthStart(deps.now()));
    if (spentUsd * 100 >= cap) {
      return {
        ok: false,
        reason:
          `This channel reached its monthly cap (${formatUsd(Math.round(spentUsd * 100))} spent of ${formatUsd(cap)}), ` +
          `so new sessions don't start here until next month. ${await whoCanRaise(deps, session.teamId)} can raise ` +
          `the cap with \`/baton channel\`.`,
      };
    }
  }
  const spend = await deps.spend.open({
    sessionId: session.id,
    teamId: session.teamId,
    channelId: session.channelId,
    botId: bot.id,
    limitCents: config.budgetCents.value,
    config: config as unknown as Record<string, unknown>,
  });
  const audited = deps.stores.audit.record({
    teamId: session.teamId,
    actorId: session.requesterId,
    action: 'session.started',
    target: session.id,
    details: auditOf(config),
  });
  return { ok: true, spend, config: parseConfigSnapshot(spend.config) ?? config, audited };
}
