import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { err, ok, type DispatchInput, type Priority, type Result, type RoutingRules, type Tier } from '../../../shared/contract';
import { usdToMicros } from '../../../shared/money';
import { chooseModel } from './model-choice';
import { chooseDeferrableModel } from './deferred-request';
import type { LearnedOdds } from '../router/task-tier';
import { newTaskId } from './ids';
import type { TaskRecord, TaskStore } from './task-store';

/** The contract's dispatch input, plus what the CLI and API may add. */
export interface DispatchRequest extends DispatchInput {
  /** Work in the project folder itself rather than a worktree (always the case outside git). */
  inPlace?: boolean;
}

const PRIORITIES: readonly Priority[] = ['high', 'normal', 'low'];
const TIERS: readonly Tier[] = ['local', 'fast', 'strong'];
const MAX_PROMPT = 200_000;

/** Checks a dispatch and turns it into a queued task in the ledger. Errors are values a person can act on. */
export function enqueueTask(
  store: TaskStore,
  routing: RoutingRules,
  input: DispatchRequest,
  odds: (prompt: string) => LearnedOdds | null = () => null,
): Result<TaskRecord> {
  const prompt = typeof input.prompt === 'string' ? input.prompt.trim() : '';
  if (prompt === '') return err('bad_input', 'The task needs a prompt: say what the agent should do.');
  if (prompt.length > MAX_PROMPT) return err('bad_input', `The prompt is ${prompt.length.toLocaleString('en-US')} characters; the limit is ${MAX_PROMPT.toLocaleString('en-US')}.`);
  const project = projectDir(input.project);
  if (!project.ok) return project;
  if (input.priority !== undefined && !PRIORITIES.includes(input.priority)) return err('bad_input', `Priority must be one of ${PRIORITIES.join(', ')}.`);
  if (input.tier !== undefined && !TIERS.includes(input.tier)) return err('bad_input', `Tier must be one of ${TIERS.join(', ')}.`);
  if (input.model !== undefined && (typeof input.model !== 'string' || input.model.trim() === '' || input.model.length > 200)) return err('bad_input', 'The model must be a model name.');
  if (input.capUsd !== undefined && (typeof input.capUsd !== 'number' || !Number.isFinite(input.capUsd) || input.capUsd <= 0 || input.capUsd > 100_000)) {
    return err('bad_input', 'The cap must be a dollar amount above 0, e.g. 2.50.');
  }
  if (input.deferrable !== undefined && typeof input.deferrable !== 'boolean') return err('bad_input', 'Deferrable must be true or false.');
  const deferrable = input.deferrable === true;
  if (deferrable && input.inPlace) return err('bad_input', 'A deferrable task works in no folder at all (one request in a batch); in-place does not apply.');
  const ask = { model: input.model?.trim(), tier: input.tier, prompt, project: project.value };
  const choice = deferrable ? chooseDeferrableModel(ask, routing, odds(prompt)) : chooseModel(ask, routing, odds(prompt));
  if (!choice.ok) return err('bad_input', choice.message);
  return ok(
    store.insert({
      id: newTaskId(),
      prompt,
      project: project.value,
      priority: input.priority ?? 'normal',
      tier: choice.choice.tier,
      model: choice.choice.model,
      routeReason: choice.choice.reason,
      capMicros: input.capUsd === undefined ? null : usdToMicros(input.capUsd),
      // Chosen now, so a run interrupted before Claude Code said hello can still be resumed by id.
      sessionId: crypto.randomUUID(),
      isolation: input.inPlace ? 'in_place' : 'worktree',
      mode: deferrable ? 'batch' : 'agent',
    }),
  );
}

/** An existing folder, as its real absolute path (the key for recent projects and per-project permissions). */
export function projectDir(raw: unknown): Result<string> {
  if (typeof raw !== 'string' || raw.trim() === '') return err('bad_input', 'The task needs a project folder.');
  if (!path.isAbsolute(raw)) return err('bad_input', `The project folder must be an absolute path, got "${raw}".`);
  try {
    const real = fs.realpathSync(raw);
    if (!fs.statSync(real).isDirectory()) return err('bad_input', `"${raw}" is not a folder.`);
    return ok(real);
  } catch {
    return err('bad_input', `The project folder "${raw}" does not exist.`);
  }
}
