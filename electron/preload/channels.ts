import type { CallName } from '../../shared/contract';

/**
 * IPC channel names, shared by the preload and main so the two cannot disagree. Every call has its
 * own channel (main registers exactly these and refuses the rest); events flow one way, main → page.
 */
export const CALL_CHANNEL_PREFIX = 'sluice:call:';
export const EVENT_CHANNEL = 'sluice:event';

export type CallChannel<K extends CallName = CallName> = `${typeof CALL_CHANNEL_PREFIX}${K}`;

export function callChannel<K extends CallName>(name: K): CallChannel<K> {
  return `${CALL_CHANNEL_PREFIX}${name}`;
}
