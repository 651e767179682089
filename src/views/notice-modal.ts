import type { ModalView } from '@slack/types';
import { section } from './blocks';
import { modal } from './elements';

/** A modal that only tells the person something: a refusal, a confirmation, a "working on it". */
export const buildNoticeModal = (title: string, mrkdwn: string): ModalView =>
  modal('notice', title, [section(mrkdwn)], { close: 'Close' });
