export { BatchCoordinator, BatchInputError, DEFAULT_BATCH_INTERVAL_MS, type BatchCoordinatorOptions } from './coordinator';
export { BatchQueue } from './queue-store';
export { packBatches } from './pack';
export { submissionWindow } from './window';
export { batchOutcome } from './outcome';
export { API_BATCH_LIMITS } from './types';
export type { BatchItem, BatchItemResult, BatchLimits, BatchParams, DeferInput, TickReport, WorkState } from './types';
