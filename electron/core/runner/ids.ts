import crypto from 'node:crypto';

/** Short enough to type (`sluice pause t3fa9c01b2e`), safe in a branch name, a header and an agent name. */
export function newTaskId(): string {
  return 't' + crypto.randomBytes(5).toString('hex');
}

export const TASK_ID = /^t[0-9a-f]{10}$/;

/** Each task has its own gateway agent, so its spend and cap are its own. */
export function agentNameFor(taskId: string): string {
  return `task-${taskId}`;
}

export function branchFor(taskId: string): string {
  return `sluice/${taskId}`;
}
