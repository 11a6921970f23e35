import { buildBrief } from '../pruner';
import type { ContextProvider } from './context';

/** The runner's context seam filled by the pruner: each task starts with a 5k-token brief of its project. */
export function pruningContext(dataDir: string): ContextProvider {
  return {
    brief: async ({ repo, task }) => {
      const b = await buildBrief({ repo, task, dataDir });
      return { text: b.brief, tokens: b.totalTokens, files: b.files.map((f) => f.path) };
    },
  };
}
