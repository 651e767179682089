import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { createJob } from '../../jobs/definitions';
import { DuplicateSkillIdError } from '../../models/skills';
import { checkSkill, type SkillField, type SkillFields } from '../../src/domain/skills';
import { INPUT } from '../../src/views/ids';
import { buildNoticeModal } from '../../src/views/notice-modal';
import type { SkillModalMetadata } from '../../src/views/skill-modal';
import { textValue, type ViewStateValues } from '../../src/views/state';
import { actorOf, parseMetadata } from '../context';
import type { HandlerDeps } from '../deps';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const BLOCK_OF: Record<SkillField, string> = {
  skillId: INPUT.skillId,
  title: INPUT.skillTitle,
  description: INPUT.skillDescription,
  instructions: INPUT.skillInstructions,
};

/**
 * Saves a workspace skill after checking Anthropic's rules inline. An edit re-syncs every managed bot that selects
 * the skill (one sync job per bot, shown as Syncing… in the bot list).
 */
export const onSkillSubmit =
  (deps: HandlerDeps) =>
  async ({ ack, body, view, context }: SubmitArgs): Promise<void> => {
    const actor = actorOf(context, body);
    const values = view.state.values as ViewStateValues;
    const { id } = parseMetadata<SkillModalMetadata>(view.private_metadata);
    const existing = id ? await deps.stores.skills.get(actor.teamId, id) : undefined;
    if (id && !existing) {
      await ack({ response_action: 'update', view: buildNoticeModal('Skill not found', 'This skill was deleted.') });
      return;
    }
    const fields: SkillFields = {
      skillId: existing?.skillId ?? textValue(values, INPUT.skillId).trim(),
      title: textValue(values, INPUT.skillTitle).trim(),
      description: textValue(values, INPUT.skillDescription).trim(),
      instructions: textValue(values, INPUT.skillInstructions),
    };
    const problems = checkSkill(fields);
    const errors = Object.fromEntries(
      Object.entries(problems)
        .filter(([field]) => !(existing && field === 'skillId'))
        .map(([field, message]) => [BLOCK_OF[field as SkillField], message]),
    );
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    if (existing) {
      const { skillId: _fixed, ...changes } = fields;
      await deps.stores.skills.update(actor.teamId, existing.id, changes);
      await ack();
      await deps.stores.audit.record({
        teamId: actor.teamId,
        actorId: actor.userId,
        action: 'skill.edited',
        target: existing.skillId,
      });
      await deps.queue.enqueue(
        createJob('resync-skill', { ...actor, skillId: existing.id, actorId: actor.userId }, existing.id),
      );
      return;
    }
    try {
      await deps.stores.skills.create(actor.teamId, fields, actor.userId);
    } catch (error) {
      if (!(error instanceof DuplicateSkillIdError)) throw error;
      await ack({
        response_action: 'errors',
        errors: { [INPUT.skillId]: 'Another skill in this workspace has this ID.' },
      });
      return;
    }
    await ack();
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'skill.created',
      target: fields.skillId,
    });
  };
