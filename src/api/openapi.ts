import { z } from 'zod';
import { ROUTES } from './routes';

type Schema = Record<string, unknown>;

const ERROR = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
};

/**
 * The OpenAPI 3.1 document of Baton's REST API, generated from the same zod schemas that validate each route's
 * input: path parameters, then query parameters (GET) or the JSON body (POST).
 */
export function openApiDocument(apiUrl: string): Schema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const schema = z.toJSONSchema(route.op.input, { io: 'input', unrepresentable: 'any' }) as Schema;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const pathNames = route.path
      .split('/')
      .filter((s) => s.startsWith(':'))
      .map((s) => s.slice(1));
    const parameters: Schema[] = pathNames.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: properties[name] ?? { type: 'string' },
    }));
    if (route.isIdempotent) {
      parameters.push({ name: 'Idempotency-Key', in: 'header', required: true, schema: properties.key });
    }
    const rest = Object.entries(properties).filter(([name]) => !pathNames.includes(name) && name !== 'key');
    const operation: Schema = {
      operationId: route.op.name,
      summary: route.summary,
      ...(route.op.mode === 'full' ? { description: 'Needs Full Baton mode.' } : {}),
      security: [{ bearer: [] }],
      parameters,
      responses: {
        [route.method === 'POST' ? '201' : '200']: {
          description: 'Done',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        default: { description: 'An error', content: { 'application/json': { schema: ERROR } } },
      },
    };
    if (route.method === 'GET') {
      parameters.push(...rest.map(([name, s]) => ({ name, in: 'query', required: required.has(name), schema: s })));
    } else if (rest.length > 0) {
      const body: Schema = { type: 'object', properties: Object.fromEntries(rest) };
      const needed = rest.map(([name]) => name).filter((name) => required.has(name));
      if (needed.length) body.required = needed;
      operation.requestBody = { required: true, content: { 'application/json': { schema: body } } };
    }
    const path = `/${route.path.replace(/:([a-z_]+)/g, '{$1}')}`;
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Baton API',
      version: '1',
      description:
        "Baton's REST API for bot API tokens, including the callback API of Self-hosted runtimes. Authenticate with `Authorization: Bearer btn_pat_…`.",
    },
    servers: [{ url: apiUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
