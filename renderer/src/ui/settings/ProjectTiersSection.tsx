import { useId, useState, type FormEvent } from 'react';
import type { ProjectRouting, RoutingRules, Tier } from '../../../../shared/contract';
import { useApp } from '../../state/store-context';
import { SaveStatus, useSave } from './useSave';

const TIER_LABEL: Record<Tier, string> = { strong: 'Strong', fast: 'Fast', local: 'Local' };

function asTier(v: string): Tier {
  return v === 'local' || v === 'fast' ? v : 'strong';
}

/**
 * The tier a project's tasks start on when a task asks for none; the dispatch window's own tier still
 * wins. Each change is saved at once (the core checks the folder exists and stores its real path).
 */
export function ProjectTiersSection({ routing }: { routing: RoutingRules }) {
  // Select the task list itself: a selector must return stable references (a fresh array re-renders forever).
  const { updateSettings, tasks } = useApp((s) => ({ updateSettings: s.updateSettings, tasks: s.overview.data?.tasks }));
  const recent = (tasks ?? []).map((t) => t.project);
  const projects = routing.projects ?? {};
  const folders = Object.keys(projects).sort((a, b) => a.localeCompare(b));
  const localSet = routing.tiers.local !== null;
  const [folder, setFolder] = useState('');
  const [tier, setTier] = useState<Tier>('strong');
  const [state, run] = useSave();
  const suggestions = useId();

  const save = (next: Record<string, ProjectRouting>) => run(() => updateSettings({ routing: { projects: next } }));
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const f = folder.trim();
    if (!f) return;
    if (await save({ ...projects, [f]: { tier } })) setFolder('');
  };
  const remove = (f: string) => {
    const next = { ...projects };
    delete next[f];
    void save(next);
  };

  return (
    <div className="project-tiers">
      <p className="muted small">Tasks in these folders (and their subfolders) start on this tier unless the task asks for another.</p>
      {folders.length === 0 ? (
        <p className="empty-line">No project tiers: every task is routed by what it says.</p>
      ) : (
        <ul className="rows compact" aria-label="Tier per project">
          {folders.map((f) => (
            <li key={f} className="row cap-row">
              <div className="row-main">
                <span className="row-title project-path" title={f}>
                  {f}
                </span>
              </div>
              <div className="cap-form">
                <select
                  className="input input-narrow"
                  value={projects[f]?.tier ?? 'strong'}
                  onChange={(e) => void save({ ...projects, [f]: { tier: asTier(e.target.value) } })}
                  aria-label={`Tier for ${f}`}
                >
                  {(['strong', 'fast', 'local'] as const).map((t) => (
                    <option key={t} value={t} disabled={t === 'local' && !localSet && projects[f]?.tier !== 'local'}>
                      {TIER_LABEL[t]}
                    </option>
                  ))}
                </select>
                <button type="button" className="btn btn-small" onClick={() => remove(f)} aria-label={`Remove the tier for ${f}`}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form className="cap-form project-add" onSubmit={(e) => void add(e)} aria-label="Add a project tier">
        <input
          className="input"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          list={suggestions}
          placeholder="/Users/you/code/app"
          spellCheck={false}
          aria-label="Project folder"
        />
        <datalist id={suggestions}>
          {[...new Set(recent)].filter((p) => !projects[p]).map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <select className="input input-narrow" value={tier} onChange={(e) => setTier(asTier(e.target.value))} aria-label="Tier for the new project">
          <option value="strong">Strong</option>
          <option value="fast">Fast</option>
          <option value="local" disabled={!localSet}>
            Local{localSet ? '' : ' (set a local model)'}
          </option>
        </select>
        <button type="submit" className="btn btn-small" disabled={!folder.trim()}>
          Add
        </button>
      </form>
      <SaveStatus state={state} />
    </div>
  );
}
