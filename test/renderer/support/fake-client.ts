import { err, type CallInput, type CallName, type CallOutput, type CoreEvent, type Result, type SluiceClient } from '../../../shared/contract';
import { apiFrom } from '../../../renderer/src/client/api-from';

type Handler<K extends CallName> = (input: CallInput<K>) => Result<CallOutput<K>> | Promise<Result<CallOutput<K>>>;
export type Answers = { [K in CallName]?: Handler<K> };

export interface FakeCore {
  client: SluiceClient;
  /** Every call the UI made, in order. */
  calls: { call: CallName; input: unknown }[];
  callsTo(name: CallName): unknown[];
  /** Pushes an event as the core would. */
  emit(event: CoreEvent): void;
  answers: Answers;
}

/** The core as the popover sees it: answers set per test, every call recorded, events pushed by hand. */
export function fakeCore(answers: Answers = {}): FakeCore {
  const calls: { call: CallName; input: unknown }[] = [];
  const listeners = new Set<(e: CoreEvent) => void>();
  const core: FakeCore = {
    answers,
    calls,
    callsTo: (name) => calls.filter((c) => c.call === name).map((c) => c.input),
    emit: (e) => {
      for (const l of listeners) l(e);
    },
    client: {
      api: apiFrom(<K extends CallName>(call: K) => async (input: CallInput<K>): Promise<Result<CallOutput<K>>> => {
        calls.push({ call, input });
        const h: Handler<K> | undefined = core.answers[call];
        return h ? h(input) : err('unavailable', `The fake core has no answer for ${call}.`);
      }),
      subscribe(l) {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    },
  };
  return core;
}

/** A promise that never settles: a call still in flight. */
export function pending<T>(): Promise<T> {
  return new Promise<T>(() => {});
}
