import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { createJob } from '../../jobs/definitions';
import { escapeMrkdwn } from '../../src/views/blocks';
import { buildNoticeModal } from '../../src/views/notice-modal';
import { buildSkillModal } from '../../src/views/skill-modal';
import { actorOf, mayConfigure, mayConfigureHere } from '../context';
import type { HandlerDeps } from '../deps';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export const onCreateSkill =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigure(deps, client, actor, body.trigger_id))) return;
    await client.views.open({ trigger_id: body.trigger_id, view: buildSkillModal() });
  };

export const onEditSkill =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigure(deps, client, actor, body.trigger_id))) return;
    const skill = await deps.stores.skills.get(actor.teamId, action.value ?? '');
    await client.views.open({
      trigger_id: body.trigger_id,
      view: skill ? buildSkillModal(skill) : buildNoticeModal('Skill not found', 'This skill was deleted.'),
    });
  };

/** Confirmed in Slack's dialog, which named the bots using the skill; a job detaches it everywhere, then deletes. */
export const onDeleteSkill =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigureHere(deps, client, actor, respond))) return;
    const skill = await deps.stores.skills.get(actor.teamId, action.value ?? '');
    if (!skill) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'This skill was already deleted.' });
      return;
    }
    await deps.queue.enqueue(
      createJob('delete-skill', { ...actor, skillId: skill.id, actorId: actor.userId }, skill.id),
    );
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: `Deleting *${escapeMrkdwn(skill.title)}*: detaching it from every bot first…`,
    });
  };
