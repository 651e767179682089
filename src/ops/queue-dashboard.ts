import type { IncomingMessage } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { CustomRoute } from '@slack/bolt';
import type { Queue } from 'bullmq';
import express from 'express';

export const DASHBOARD_PATH = '/admin/queues';

export interface DashboardOptions {
  queues: Queue[];
  /** Whether this request may see and act on the queues (operator token, or a Baton admin signed in). */
  isAllowed(req: IncomingMessage): Promise<boolean>;
}

/** Bull Board at /admin/queues: jobs by state, failed jobs with their errors, retry and clean. */
export function queueDashboardRoute({ queues, isAllowed }: DashboardOptions): CustomRoute {
  const board = new ExpressAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Baton queues' } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(DASHBOARD_PATH, board.getRouter() as express.Router);
  return {
    path: `${DASHBOARD_PATH}{/*rest}`,
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    handler: (req, res) => {
      isAllowed(req).then(
        (allowed) => {
          if (allowed) return void app(req, res);
          res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer' });
          res.end(
            'The queue dashboard needs Authorization: Bearer <METRICS_TOKEN>, or a Baton admin signed in from Slack.\n',
          );
        },
        () => {
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end('Could not check who you are. Try again.\n');
        },
      );
    },
  };
}
