import { z } from 'zod';

export const QUEUE_NAME = 'tasks';

const teamRef = { teamId: z.string().min(1), enterpriseId: z.string().optional() };

export const answerMention = z.object({
  v: z.literal(1),
  traceId: z.string(),
  ...teamRef,
  intent: z.enum(['ping', 'unknown']),
  channel: z.string().min(1),
  userId: z.string().min(1),
  messageTs: z.string().min(1),
  threadTs: z.string().min(1),
});
export type AnswerMention = z.infer<typeof answerMention>;

export const publishHome = z.object({ v: z.literal(1), traceId: z.string(), ...teamRef, userId: z.string().min(1) });
export type PublishHome = z.infer<typeof publishHome>;

export const jobSchemas = {
  'answer-mention': answerMention,
  'publish-home': publishHome,
} as const;

export type JobName = keyof typeof jobSchemas;
export type JobData<N extends JobName> = z.infer<(typeof jobSchemas)[N]>;

/** A job ready to enqueue; `jobId` doubles as the dedupe key (BullMQ ids may not contain `:`). */
export interface JobRequest<N extends JobName = JobName> {
  name: N;
  data: JobData<N>;
  jobId: string;
}

const safeId = (value: string) => value.replace(/[^A-Za-z0-9_.-]/g, '_');

export const createAnswerMentionJob = (
  eventId: string,
  data: Omit<AnswerMention, 'v'>,
): JobRequest<'answer-mention'> => ({
  name: 'answer-mention',
  data: { v: 1, ...data },
  jobId: `mention-${safeId(eventId)}`,
});

export const createPublishHomeJob = (eventId: string, data: Omit<PublishHome, 'v'>): JobRequest<'publish-home'> => ({
  name: 'publish-home',
  data: { v: 1, ...data },
  jobId: `home-${safeId(eventId)}`,
});
