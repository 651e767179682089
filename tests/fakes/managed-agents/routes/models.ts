import { notFound } from '../errors';
import { idPage } from '../pagination';
import { json, type Route } from '../router';
import type { FakeModelInfo } from '../types';

const model = (id: string, displayName: string, createdAt: string, line: FakeModelInfo['line']): FakeModelInfo => ({
  id,
  type: 'model',
  display_name: displayName,
  created_at: createdAt,
  capabilities: null,
  deprecated_at: null,
  retires_at: null,
  lifecycle: 'active',
  line,
  max_input_tokens: 200_000,
  max_tokens: 64_000,
  allowed_fallback_models: null,
});

/** Newest first, as the real list is ordered. */
export const DEFAULT_MODELS: FakeModelInfo[] = [
  model('claude-opus-5', 'Claude Opus 5', '2026-06-01T00:00:00Z', 'opus'),
  model('claude-sonnet-5', 'Claude Sonnet 5', '2026-05-01T00:00:00Z', 'sonnet'),
  model('claude-opus-4-8', 'Claude Opus 4.8', '2026-03-01T00:00:00Z', 'opus'),
  model('claude-sonnet-4-6', 'Claude Sonnet 4.6', '2026-01-15T00:00:00Z', 'sonnet'),
  model('claude-haiku-4-5-20251001', 'Claude Haiku 4.5', '2025-10-01T00:00:00Z', 'haiku'),
];

/** Serves both `client.models.list` and `client.beta.models.list` (same path; beta adds nothing by default). */
export const modelRoutes: Route[] = [
  { method: 'GET', pattern: '/v1/models', family: 'models', handle: (c) => json(idPage(c.models(), c.query)) },
  {
    method: 'GET',
    pattern: '/v1/models/:id',
    family: 'models',
    handle: (c) => {
      const found = c.models().find((m) => m.id === c.params['id']);
      if (!found) throw notFound(`model: ${c.params['id'] ?? ''}`);
      return json(found);
    },
  },
];
