/** Starts a bot session in a Slack thread (used by Full Baton mode's start_session tool and the REST API). */
export interface SessionLauncher {
  launch(request: {
    teamId: string;
    enterpriseId?: string | undefined;
    botId: string;
    channelId: string;
    threadTs: string;
    requesterId: string;
    task: string;
    /** The session whose token asked for this one. */
    parentSessionId?: string | undefined;
  }): Promise<{ sessionId: string }>;
}

/** Tells the session's card that something it shows changed (e.g. the agent's own status). */
export interface SessionNotifier {
  changed(sessionId: string): Promise<void>;
}
