import type { CallInput, CallName, CallOutput, CoreEvent, Result, SluiceBridge } from '../../shared/contract';
import { EVENT_CHANNEL, callChannel, type CallChannel } from './channels';

type EventListener = (event: unknown, payload: CoreEvent) => void;

/**
 * The part of `ipcRenderer` the bridge uses, typed by the wire protocol main implements
 * (electron/main/ipc.ts): invoking a call's channel with its input resolves with that call's Result;
 * the event channel carries CoreEvents. The real ipcRenderer fits it; tests pass a fake.
 */
export interface IpcRendererPort {
  invoke<K extends CallName>(channel: CallChannel<K>, input: CallInput<K>): Promise<Result<CallOutput<K>>>;
  on(channel: typeof EVENT_CHANNEL, listener: EventListener): unknown;
  removeListener(channel: typeof EVENT_CHANNEL, listener: EventListener): unknown;
}

/**
 * `window.sluice`: one method per contract call and `onEvent`. Written out call by call, checked by
 * `satisfies SluiceBridge`, so a call added to the contract fails the build here until it is
 * exposed, and nothing else (no generic invoke, no raw ipcRenderer) can slip in.
 */
export function createBridge(ipc: IpcRendererPort) {
  const call =
    <K extends CallName>(name: K) =>
    (input: CallInput<K>): Promise<Result<CallOutput<K>>> =>
      ipc.invoke(callChannel(name), input);

  return {
    getOverview: call('getOverview'),
    getSpend: call('getSpend'),
    listRequests: call('listRequests'),
    listAgents: call('listAgents'),
    setAgentCap: call('setAgentCap'),
    getSettings: call('getSettings'),
    updateSettings: call('updateSettings'),
    setApiKey: call('setApiKey'),
    getOllamaStatus: call('getOllamaStatus'),
    listLocalModels: call('listLocalModels'),
    pullModel: call('pullModel'),
    cancelPull: call('cancelPull'),
    deleteModel: call('deleteModel'),
    previewDispatch: call('previewDispatch'),
    dispatchTask: call('dispatchTask'),
    controlTask: call('controlTask'),
    finishTask: call('finishTask'),
    rateTask: call('rateTask'),
    retryTask: call('retryTask'),
    getTaskAnswer: call('getTaskAnswer'),
    pauseAll: call('pauseAll'),
    recentProjects: call('recentProjects'),
    pickProjectFolder: call('pickProjectFolder'),
    /** The IPC event object (and its `sender`) never reaches the page: only the payload does. */
    onEvent(listener: (event: CoreEvent) => void): () => void {
      const forward: EventListener = (_event, payload) => listener(payload);
      ipc.on(EVENT_CHANNEL, forward);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, forward);
      };
    },
  } satisfies SluiceBridge;
}

export type PreloadBridge = ReturnType<typeof createBridge>;
