import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Baton's Prometheus metrics. One registry per process (as prom-client intends): counters are bumped where
 * things happen, and the gauges that count stored things (jobs, sessions) ask their source when scraped.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'baton_process_' });

const registers = [registry];
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the scrape-time gauges read; set by the composition root while Baton runs. */
export interface MetricSources {
  jobCounts(): Promise<Array<{ queue: string; state: string; count: number }>>;
  sessionCounts(): Promise<Array<{ status: string; provider: string; count: number }>>;
}

let sources: MetricSources | undefined;

/** Points the jobs and sessions gauges at this process's queues and database; returns how to undo it. */
export function useMetricSources(next: MetricSources): () => void {
  sources = next;
  return () => {
    if (sources === next) sources = undefined;
  };
}

export const metrics = {
  httpDuration: new Histogram({
    name: 'baton_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  ackDuration: new Histogram({
    name: 'baton_slack_ack_duration_seconds',
    help: 'Time from a Slack request arriving to its acknowledgement (Slack allows 3 s)',
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  slackCalls: new Counter({
    name: 'baton_slack_api_calls_total',
    help: 'Slack Web API calls made, by method',
    labelNames: ['method'] as const,
    registers,
  }),
  slackRateLimited: new Counter({
    name: 'baton_slack_rate_limited_total',
    help: 'Slack Web API answers of 429 (rate limited), by method',
    labelNames: ['method'] as const,
    registers,
  }),
  budgetWaits: new Counter({
    name: 'baton_slack_budget_waits_total',
    help: "Times a Slack write waited for its workspace's call budget, by method",
    labelNames: ['method'] as const,
    registers,
  }),
  providerErrors: new Counter({
    name: 'baton_provider_errors_total',
    help: 'Errors agent providers reported or caused, by provider and kind',
    labelNames: ['provider', 'kind'] as const,
    registers,
  }),
  sessionEvents: new Counter({
    name: 'baton_session_events_total',
    help: 'Session events stored, by provider',
    labelNames: ['provider'] as const,
    registers,
  }),
  eventLag: new Histogram({
    name: 'baton_session_event_lag_seconds',
    help: 'Time from a provider creating a session event to Baton storing it',
    labelNames: ['provider'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  }),
  jobs: new Gauge({
    name: 'baton_jobs',
    help: 'Jobs by queue and state (waiting, active, delayed, failed, completed, paused)',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { queue, state, count } of (await sources?.jobCounts()) ?? []) this.set({ queue, state }, count);
    },
  }),
  sessions: new Gauge({
    name: 'baton_sessions',
    help: 'Sessions by status and provider',
    labelNames: ['status', 'provider'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { status, provider, count } of (await sources?.sessionCounts()) ?? []) {
        this.set({ status, provider }, count);
      }
    },
  }),
};
