import { ToolError } from './errors';

/** Slack reads one tool call may make, so one session cannot spend its workspace's history budget. */
export const SLACK_READS_PER_CALL = 12;

export class ReadBudget {
  private spent = 0;

  constructor(readonly limit = SLACK_READS_PER_CALL) {}

  get left(): number {
    return this.limit - this.spent;
  }

  /** Takes `n` reads, or refuses the call when they are not left. */
  spend(n: number): void {
    if (this.spent + n > this.limit)
      throw new ToolError('rate_limited', `One call may make at most ${this.limit} Slack reads; ask for less at once.`);
    this.spent += n;
  }
}
