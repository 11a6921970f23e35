import type { CallInput, CallName, CallOutput, Result, SluiceApi } from '../../../shared/contract';

export type CallMaker = <K extends CallName>(call: K) => (input: CallInput<K>) => Promise<Result<CallOutput<K>>>;

/**
 * A `SluiceApi` whose methods come from one generic maker. Each call is spelled out once, so adding a
 * call to the contract fails to compile here until the client handles it.
 */
export function apiFrom(make: CallMaker): SluiceApi {
  return {
    getOverview: make('getOverview'),
    getSpend: make('getSpend'),
    listRequests: make('listRequests'),
    listAgents: make('listAgents'),
    setAgentCap: make('setAgentCap'),
    getSettings: make('getSettings'),
    updateSettings: make('updateSettings'),
    setApiKey: make('setApiKey'),
    getOllamaStatus: make('getOllamaStatus'),
    listLocalModels: make('listLocalModels'),
    pullModel: make('pullModel'),
    cancelPull: make('cancelPull'),
    deleteModel: make('deleteModel'),
    previewDispatch: make('previewDispatch'),
    dispatchTask: make('dispatchTask'),
    controlTask: make('controlTask'),
    finishTask: make('finishTask'),
    rateTask: make('rateTask'),
    retryTask: make('retryTask'),
    getTaskAnswer: make('getTaskAnswer'),
    pauseAll: make('pauseAll'),
    recentProjects: make('recentProjects'),
    pickProjectFolder: make('pickProjectFolder'),
  };
}
