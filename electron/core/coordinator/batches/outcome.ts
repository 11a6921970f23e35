import type { SettledRequest } from '../../budget/enforcer';
import { fromAnthropicUsage, ZERO_USAGE, type AnthropicUsage, type Usage } from '../../../../shared/usage';
import type { BatchItemResult } from './types';

export interface BatchOutcome {
  state: 'done' | 'failed';
  status: SettledRequest['status'];
  httpStatus: number | null;
  usage: Usage;
  /** "type: message" for a person and for the ledger's error column; null when it succeeded. */
  error: string | null;
}

// The docs' error types and the HTTP status each stands for (a batch result carries only the type).
const STATUS_OF: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** What the ledger records for one batch result. Only a succeeded result is billed. */
export function batchOutcome(result: BatchItemResult): BatchOutcome {
  switch (result.type) {
    case 'succeeded':
      return { state: 'done', status: 'ok', httpStatus: 200, usage: fromAnthropicUsage(result.message.usage as AnthropicUsage), error: null };
    case 'errored': {
      const e = result.error.error;
      return { state: 'failed', status: 'error', httpStatus: STATUS_OF[e.type] ?? null, usage: { ...ZERO_USAGE }, error: `${e.type}: ${e.message}` };
    }
    case 'canceled':
      return { state: 'failed', status: 'error', httpStatus: null, usage: { ...ZERO_USAGE }, error: 'canceled: the batch was canceled before this request ran' };
    case 'expired':
      return { state: 'failed', status: 'error', httpStatus: null, usage: { ...ZERO_USAGE }, error: 'expired: the batch did not reach this request within 24 hours' };
    case 'lost':
      return { state: 'failed', status: 'error', httpStatus: null, usage: { ...ZERO_USAGE }, error: `lost: ${result.message}` };
  }
}
