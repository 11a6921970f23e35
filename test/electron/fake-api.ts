import { err, type CallInput, type CallName, type CallOutput, type Result, type SluiceApi } from '../../shared/contract';

export interface RecordedCall {
  call: CallName;
  input: unknown;
}

/**
 * A SluiceApi that records every call and answers `unavailable`, except the calls a test overrides.
 * Written out call by call, so a call added to the contract breaks this file until it is added.
 */
export function fakeApi(overrides: Partial<SluiceApi> = {}): { api: SluiceApi; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const stub =
    <K extends CallName>(call: K) =>
    async (input: CallInput<K>): Promise<Result<CallOutput<K>>> => {
      calls.push({ call, input });
      return err('unavailable', `${call} is not part of this test`);
    };
  const base: SluiceApi = {
    getOverview: stub('getOverview'),
    getSpend: stub('getSpend'),
    listRequests: stub('listRequests'),
    listAgents: stub('listAgents'),
    setAgentCap: stub('setAgentCap'),
    getSettings: stub('getSettings'),
    updateSettings: stub('updateSettings'),
    setApiKey: stub('setApiKey'),
    getOllamaStatus: stub('getOllamaStatus'),
    listLocalModels: stub('listLocalModels'),
    pullModel: stub('pullModel'),
    cancelPull: stub('cancelPull'),
    deleteModel: stub('deleteModel'),
    previewDispatch: stub('previewDispatch'),
    dispatchTask: stub('dispatchTask'),
    controlTask: stub('controlTask'),
    finishTask: stub('finishTask'),
    rateTask: stub('rateTask'),
    retryTask: stub('retryTask'),
    getTaskAnswer: stub('getTaskAnswer'),
    pickProjectFolder: stub('pickProjectFolder'),
    pauseAll: stub('pauseAll'),
    recentProjects: stub('recentProjects'),
  };
  return { api: { ...base, ...overrides }, calls };
}
