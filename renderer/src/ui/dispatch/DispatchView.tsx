import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { DispatchInput, DispatchPreview, Priority, Result, Settings, SluiceApi, Tier } from '../../../../shared/contract';
import { formatTokens, formatUsd } from '../../format/format';
import { Icon } from '../common/Icon';

type PreviewState = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; preview: DispatchPreview } | { kind: 'error'; message: string };

/**
 * The Spotlight-like dispatch window: a task, a project folder, a live preview of what Sluice will do
 * (tier, model, cost range, context size). Enter dispatches, Shift+Enter adds a line, Escape closes.
 */
export function DispatchView({ api, close, previewDelayMs = 250 }: { api: SluiceApi; close: () => void; previewDelayMs?: number }) {
  const [prompt, setPrompt] = useState('');
  const [project, setProject] = useState('');
  const [recent, setRecent] = useState<string[]>([]);
  const [tier, setTier] = useState<Tier | 'auto'>('auto');
  const [priority, setPriority] = useState<Priority>('normal');
  // Save the chosen tier as the project's own (Settings → Routing per project), so the next task there starts on it.
  const [remember, setRemember] = useState(false);
  // One request in a Message Batch instead of an agent: half the price, the answer within 24 h, no worktree.
  const [deferrable, setDeferrable] = useState(false);
  const [preview, setPreview] = useState<PreviewState>({ kind: 'idle' });
  const [status, setStatus] = useState<{ kind: 'idle' } | { kind: 'sending' } | { kind: 'error'; message: string } | { kind: 'sent'; id: string }>({ kind: 'idle' });
  const taskRef = useRef<HTMLTextAreaElement>(null);
  const projects = useId();
  // The native picker exists in the desktop app only; a browser says so once and the button goes.
  const [picker, setPicker] = useState<{ available: boolean; message: string | null }>({ available: true, message: null });
  const pickFolder = async () => {
    const r = await api.pickProjectFolder();
    if (r.ok) {
      if (r.value.path) setProject(r.value.path);
      setPicker({ available: true, message: null });
    } else setPicker({ available: r.error.code !== 'unavailable', message: r.error.message });
  };

  useEffect(() => {
    taskRef.current?.focus();
    void api.recentProjects().then((r) => {
      if (!r.ok) return;
      setRecent(r.value);
      setProject((p) => p || (r.value[0] ?? ''));
    });
  }, [api]);

  const input = (): DispatchInput | null => {
    if (!prompt.trim() || !project.trim()) return null;
    return { prompt: prompt.trim(), project: project.trim(), priority, ...(tier === 'auto' ? {} : { tier }), ...(deferrable ? { deferrable } : {}) };
  };

  useEffect(() => {
    const i = prompt.trim() && project.trim() ? { prompt: prompt.trim(), project: project.trim(), priority, ...(tier === 'auto' ? {} : { tier }), ...(deferrable ? { deferrable } : {}) } : null;
    if (!i) {
      setPreview({ kind: 'idle' });
      return;
    }
    let live = true;
    setPreview((p) => (p.kind === 'ready' ? p : { kind: 'loading' }));
    const t = setTimeout(() => {
      void api.previewDispatch(i).then((r) => {
        if (live) setPreview(r.ok ? { kind: 'ready', preview: r.value } : { kind: 'error', message: r.error.message });
      });
    }, previewDelayMs);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, prompt, project, tier, priority, deferrable, previewDelayMs]);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const i = input();
    if (!i || status.kind === 'sending') return;
    setStatus({ kind: 'sending' });
    if (remember && i.tier) {
      const saved = await rememberTier(api, i.project, i.tier);
      if (!saved.ok) {
        setStatus({ kind: 'error', message: saved.error.message });
        return;
      }
    }
    const r = await api.dispatchTask(i);
    if (!r.ok) {
      setStatus({ kind: 'error', message: r.error.message });
      return;
    }
    setStatus({ kind: 'sent', id: r.value.id });
    setPrompt('');
    setTimeout(() => {
      setStatus({ kind: 'idle' });
      close();
    }, 600);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'Enter' && !e.shiftKey && e.target instanceof HTMLTextAreaElement) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <form className="dispatch" onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown} aria-label="Dispatch a task">
      <label className="visually-hidden" htmlFor="dispatch-task">
        Task
      </label>
      <textarea
        id="dispatch-task"
        ref={taskRef}
        className="dispatch-task"
        rows={2}
        value={prompt}
        onChange={(e) => setPrompt(e.target.value)}
        placeholder="What should an agent do?"
        spellCheck
      />
      <div className="dispatch-options">
        <label className="dispatch-project">
          <span className="visually-hidden">Project folder</span>
          <input className="input" value={project} onChange={(e) => setProject(e.target.value)} list={projects} placeholder="Project folder, e.g. ~/code/app" spellCheck={false} aria-label="Project folder" />
          <datalist id={projects}>
            {recent.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </label>
        {picker.available ? (
          <button type="button" className="btn btn-small" onClick={() => void pickFolder()} aria-label="Choose the project folder">
            Choose…
          </button>
        ) : null}
        <select className="input input-narrow" value={tier} onChange={(e) => setTier(e.target.value === 'local' || e.target.value === 'fast' || e.target.value === 'strong' ? e.target.value : 'auto')} aria-label="Tier">
          <option value="auto">Auto</option>
          <option value="local" disabled={deferrable}>
            Local
          </option>
          <option value="fast">Fast</option>
          <option value="strong">Strong</option>
        </select>
        {tier !== 'auto' ? (
          <label className="dispatch-remember" title="Tasks in this folder start on this tier unless they ask for another (Settings → Routing per project)">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
            <span>Remember for this project</span>
          </label>
        ) : null}
        <select className="input input-narrow" value={priority} onChange={(e) => setPriority(e.target.value === 'high' || e.target.value === 'low' ? e.target.value : 'normal')} aria-label="Priority">
          <option value="high">High</option>
          <option value="normal">Normal</option>
          <option value="low">Low</option>
        </select>
      </div>
      <div className="dispatch-options">
        <label className="dispatch-remember" title="Single-shot work (e.g. docstrings for 40 files): one request with the project's context brief, no agent, no worktree; submitted in the off-peak window if one is set">
          <input
            type="checkbox"
            checked={deferrable}
            onChange={(e) => {
              setDeferrable(e.target.checked);
              // Batches run at Anthropic: a local tier cannot take them.
              if (e.target.checked && tier === 'local') setTier('auto');
            }}
          />
          <span>Deferrable: run as a batch at 50% off, answer within 24 h</span>
        </label>
      </div>
      {picker.message ? (
        <p className="muted small" role="status">
          {picker.message}
        </p>
      ) : null}
      <div className="dispatch-preview" aria-live="polite" data-testid="dispatch-preview">
        {preview.kind === 'ready' ? (
          <>
            <span className="chip">{preview.preview.tier}</span>
            <span className="dispatch-model">{preview.preview.model}</span>
            <span>
              {formatUsd(preview.preview.estimatedCostMicros.low)}–{formatUsd(preview.preview.estimatedCostMicros.high)}
            </span>
            {preview.preview.batch ? (
              <span className="muted">
                batch price, half of {formatUsd(preview.preview.batch.syncCostMicros.low)}–{formatUsd(preview.preview.batch.syncCostMicros.high)}
              </span>
            ) : null}
            <span>{formatTokens(preview.preview.contextTokens)} tokens of context</span>
            <span className="muted dispatch-reason">{preview.preview.reason}</span>
            {preview.preview.batch ? <span className="dispatch-reason">{preview.preview.batch.note}</span> : null}
          </>
        ) : preview.kind === 'error' ? (
          <span className="error-text">{preview.message}</span>
        ) : preview.kind === 'loading' ? (
          <span className="muted">Working out the plan…</span>
        ) : (
          <span className="muted">Describe the task and pick a folder to see the plan and its cost.</span>
        )}
      </div>
      <div className="dispatch-foot">
        {status.kind === 'error' ? (
          <span className="inline-error" role="alert">
            {status.message}
          </span>
        ) : status.kind === 'sent' ? (
          <span className="save-status" role="status">
            <Icon name="check" /> Dispatched
          </span>
        ) : (
          <span className="muted">
            <kbd>↩</kbd> dispatch · <kbd>⇧↩</kbd> new line · <kbd>esc</kbd> close
          </span>
        )}
        <button type="submit" className="btn btn-primary" disabled={!input() || status.kind === 'sending'}>
          Dispatch
        </button>
      </div>
    </form>
  );
}

/** Adds or changes one project's tier, keeping the others (the core stores the folder's real path). */
async function rememberTier(api: SluiceApi, project: string, tier: Tier): Promise<Result<Settings>> {
  const current = await api.getSettings();
  if (!current.ok) return current;
  return api.updateSettings({ routing: { projects: { ...(current.value.routing.projects ?? {}), [project]: { tier } } } });
}
