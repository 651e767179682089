import { createRunSessionJob } from '../../jobs/definitions';
import type { NewSession, SessionRepository } from '../../models/sessions';
import type { JobQueue } from '../ports/job-queue';
import type { SessionLauncher } from '../ports/sessions';
import { newTraceId } from '../trace';

/** Every trigger creates a new session with its own card: a row, then the job that runs it. */
export class SessionStarter implements SessionLauncher {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly queue: JobQueue,
  ) {}

  async start(input: NewSession): Promise<{ sessionId: string }> {
    const session = await this.sessions.create(input);
    await this.queue.enqueue(createRunSessionJob(session, newTraceId()));
    return { sessionId: session.id };
  }

  launch(request: Parameters<SessionLauncher['launch']>[0]): Promise<{ sessionId: string }> {
    return this.start({ ...request, trigger: 'mention', triggerTs: request.threadTs });
  }
}
