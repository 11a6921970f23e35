import type { SluiceBridge } from '../../shared/contract';
import type { PreloadBridge } from './bridge';

/**
 * The renderer's view of `window.sluice`. Absent in a browser (`sluice serve`), where the renderer
 * uses the WebSocket transport instead. The renderer needs no import: this file is in the
 * TypeScript program and augments `Window` globally.
 */
declare global {
  interface Window {
    sluice?: SluiceBridge;
  }
}

// The bridge the preload builds and the contract's SluiceBridge are the same type, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameBridge: Same<PreloadBridge, SluiceBridge> = true;
void _sameBridge;

export type { SluiceBridge };
