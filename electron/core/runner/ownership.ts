import crypto from 'node:crypto';
import { processAlive } from '../budget/enforcer';
import type { SettingsStore } from '../ledger/settings-store';

/** "pid:instance": the pid tells a crash from a live host; the instance tells two runners in one process apart. */
export function newOwner(pid = process.pid): string {
  return `${pid}:${crypto.randomBytes(4).toString('hex')}`;
}

export function ownerPid(owner: string | null): number | null {
  const pid = Number(owner?.split(':')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Whether another live process holds the task (our own process's other instances are gone by definition). */
export function heldElsewhere(owner: string | null, alive: (pid: number) => boolean = processAlive): boolean {
  const pid = ownerPid(owner);
  return pid !== null && pid !== process.pid && alive(pid);
}

const HEARTBEAT_KEY = 'runner.heartbeat';
export const HEARTBEAT_MS = 10_000;

interface Heartbeat {
  owner: string;
  at: number;
}

export function beat(settings: SettingsStore, owner: string, now: number): void {
  settings.setValue(HEARTBEAT_KEY, { owner, at: now } satisfies Heartbeat);
}

export function clearBeat(settings: SettingsStore, owner: string): void {
  const hb = settings.getValue<Heartbeat>(HEARTBEAT_KEY);
  if (hb?.owner === owner) settings.setValue(HEARTBEAT_KEY, null);
}

/** Whether a host with a runner is up on this ledger (so `sluice dispatch` can say who will run the task). */
export function runnerAlive(settings: SettingsStore, now: number, alive: (pid: number) => boolean = processAlive): boolean {
  const hb = settings.getValue<Heartbeat | null>(HEARTBEAT_KEY);
  if (!hb) return false;
  const pid = ownerPid(hb.owner);
  return pid !== null && alive(pid) && now - hb.at < HEARTBEAT_MS * 3;
}
