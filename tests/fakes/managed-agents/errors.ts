import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error'
  | 'timeout_error'
  | 'billing_error';

const TYPE_FOR_STATUS: Record<number, ApiErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  // The API reports conflicts (version mismatch, archived session) as invalid_request_error.
  409: 'invalid_request_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function errorTypeForStatus(status: number): ApiErrorType {
  return TYPE_FOR_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export interface FakeApiErrorInit {
  type?: ApiErrorType | (string & {});
  errorCode?: string;
  /** Sets `x-should-retry`; the SDK otherwise retries 409, 429 and 5xx on its own. */
  shouldRetry?: boolean;
  headers?: Record<string, string>;
}

/** Thrown by route handlers (or a messages responder) to answer with the §0 error envelope. */
export class FakeApiError extends Error {
  readonly type: string;
  readonly errorCode: string | undefined;
  readonly shouldRetry: boolean | undefined;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    message: string,
    init: FakeApiErrorInit = {},
  ) {
    super(message);
    this.type = init.type ?? errorTypeForStatus(status);
    this.errorCode = init.errorCode;
    this.shouldRetry = init.shouldRetry ?? (status === 409 ? false : undefined);
    this.headers = init.headers ?? {};
  }
}

export const badRequest = (message: string, errorCode?: string) => new FakeApiError(400, message, { errorCode });
export const notFound = (message: string, errorCode?: string) => new FakeApiError(404, message, { errorCode });
export const conflict = (message: string) => new FakeApiError(409, message);

export const newRequestId = (): string => `req_${randomBytes(12).toString('hex')}`;

export function errorBody(err: FakeApiError, requestId: string): unknown {
  const error: Record<string, unknown> = { type: err.type, message: err.message };
  if (err.errorCode) error['details'] = { error_code: err.errorCode };
  return { type: 'error', error, request_id: requestId };
}

export function sendError(res: ServerResponse, err: FakeApiError, requestId: string): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'request-id': requestId,
    ...err.headers,
  };
  if (err.shouldRetry !== undefined) headers['x-should-retry'] = String(err.shouldRetry);
  res.writeHead(err.status, headers);
  res.end(JSON.stringify(errorBody(err, requestId)));
}
