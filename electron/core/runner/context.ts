/**
 * The seam where a context brief joins a task's prompt at dispatch. The pruner's `buildBrief` plugs in
 * here through an adapter built by the composition root; the runner never imports the pruner.
 */
export interface ContextBrief {
  text: string;
  tokens: number;
  files: string[];
}

export interface ContextProvider {
  brief(input: { repo: string; task: string }): Promise<ContextBrief | null>;
}

/** No brief: the agent explores the repository itself. */
export const noContext: ContextProvider = { brief: async () => null };

/** The brief goes first so every agent on one project can share it as a cached prefix. */
export function promptWithBrief(prompt: string, brief: ContextBrief | null): string {
  if (!brief || brief.text.trim() === '') return prompt;
  return `<context_brief>\n${brief.text.trim()}\n</context_brief>\n\n${prompt}`;
}
