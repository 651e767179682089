import { createQueuedCardJob, createRunSessionJob } from '../../jobs/definitions';
import type { NewSession, SessionRepository } from '../../models/sessions';
import type { JobQueue } from '../ports/job-queue';
import type { SessionLauncher } from '../ports/sessions';
import { newTraceId } from '../trace';

/**
 * Every trigger creates a new session with its own card: a row, then the job that runs it (which posts the card),
 * and the look, `queuedCardAfterMs` later, that shows the card as queued if every run slot is busy.
 */
export class SessionStarter implements SessionLauncher {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly queue: JobQueue,
    private readonly queuedCardAfterMs: number,
  ) {}

  async start(input: NewSession): Promise<{ sessionId: string }> {
    const session = await this.sessions.create(input);
    const traceId = newTraceId();
    await Promise.all([
      this.queue.enqueue(createRunSessionJob(session, traceId)),
      this.queue.enqueue(createQueuedCardJob(session, traceId, this.queuedCardAfterMs)),
    ]);
    return { sessionId: session.id };
  }

  launch(request: Parameters<SessionLauncher['launch']>[0]): Promise<{ sessionId: string }> {
    return this.start({ ...request, trigger: 'mention', triggerTs: request.threadTs });
  }
}
