import { z } from 'zod';
import { BOT_TYPES, type BotType } from '../domain/bots';
import { INPUT } from './ids';

export const NAME_MAX = 32;
export const DISPLAY_NAME_MAX = 80;
export const DESCRIPTION_MAX = 500;

export interface BotForm {
  name: string;
  displayName: string;
  icon: string | null;
  type: BotType | undefined;
  description: string;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

const EMOJI = /^:[a-z0-9_+'-]+:$/i;

/** Checks the bot modal's fields; errors are keyed by input block id, worded for the person typing. */
export function validateBotForm(form: BotForm): FormResult<BotForm & { type: BotType }> {
  const errors: Record<string, string> = {};
  const name = form.name.trim();
  if (!name) errors[INPUT.name] = 'Give the bot a name.';
  else if (Array.from(name).length > NAME_MAX) errors[INPUT.name] = `Use at most ${NAME_MAX} characters.`;
  else if (!/^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u.test(name)) {
    errors[INPUT.name] = 'Use letters, digits, - and _ only (no spaces): people type it after @Baton.';
  }
  const displayName = form.displayName.trim();
  if (!displayName) errors[INPUT.displayName] = 'Give the bot a display name.';
  else if (Array.from(displayName).length > DISPLAY_NAME_MAX) {
    errors[INPUT.displayName] = `Use at most ${DISPLAY_NAME_MAX} characters.`;
  }
  const icon = form.icon?.trim() || null;
  if (icon && !EMOJI.test(icon) && !z.url({ protocol: /^https$/ }).safeParse(icon).success) {
    errors[INPUT.icon] = 'Use an emoji code like :robot_face: or an https:// image URL.';
  }
  if (!form.type || !BOT_TYPES.includes(form.type)) errors[INPUT.type] = 'Choose how this bot works.';
  if (Array.from(form.description).length > DESCRIPTION_MAX) {
    errors[INPUT.description] = `Use at most ${DESCRIPTION_MAX} characters.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { name, displayName, icon, type: form.type as BotType, description: form.description.trim() },
  };
}
