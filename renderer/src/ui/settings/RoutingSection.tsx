import { useId, useState, type FormEvent } from 'react';
import type { RoutingRules } from '../../../../shared/contract';
import { useApp } from '../../state/store-context';
import { SaveStatus, useSave } from './useSave';

/** "a = b" lines, one rule a line; blank lines and "#" comments are ignored. */
export function parsePairs(text: string): { pairs: [string, string][]; bad: string | null } {
  const pairs: [string, string][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const m = /^(.+?)\s*(?:=|→|->)\s*(.+)$/.exec(line);
    if (!m || !m[1] || !m[2]) return { pairs, bad: `“${line}” is not “name = model”.` };
    pairs.push([m[1].trim(), m[2].trim()]);
  }
  return { pairs, bad: null };
}

export function RoutingSection({ routing }: { routing: RoutingRules }) {
  const { updateSettings, installed } = useApp((s) => ({ updateSettings: s.updateSettings, installed: s.models.data?.installed ?? null }));
  const [strong, setStrong] = useState(routing.tiers.strong);
  const [fast, setFast] = useState(routing.tiers.fast);
  const [local, setLocal] = useState(routing.tiers.local ?? '');
  const [downgradeTo, setDowngradeTo] = useState(routing.downgradeTo);
  const [bgOn, setBgOn] = useState(routing.background.enabled);
  const [bgMax, setBgMax] = useState(String(routing.background.maxTokens));
  const [bgTier, setBgTier] = useState(routing.background.tier);
  const [aliases, setAliases] = useState(Object.entries(routing.aliases).map(([k, v]) => `${k} = ${v}`).join('\n'));
  const [rules, setRules] = useState(routing.agentRules.map((r) => `${r.agent} = ${r.model}`).join('\n'));
  const [overload, setOverload] = useState(routing.overloadFallback ?? '');
  const [cacheSeconds, setCacheSeconds] = useState(String(routing.responseCacheSeconds ?? 0));
  const [state, run] = useSave();
  const localList = useId();

  const save = (e: FormEvent) => {
    e.preventDefault();
    const a = parsePairs(aliases);
    const r = parsePairs(rules);
    const bad = a.bad ?? r.bad;
    if (bad) {
      void run(async () => ({ ok: false, error: { code: 'bad_input', message: bad } }));
      return;
    }
    void run(() =>
      updateSettings({
        routing: {
          tiers: { strong: strong.trim(), fast: fast.trim(), local: local.trim() || null },
          downgradeTo,
          background: { enabled: bgOn, maxTokens: Number(bgMax), tier: bgTier },
          aliases: Object.fromEntries(a.pairs),
          agentRules: r.pairs.map(([agent, model]) => ({ agent, model })),
          overloadFallback: overload.trim() || null,
          responseCacheSeconds: Number(cacheSeconds),
        },
      }),
    );
  };

  return (
    <form className="form" onSubmit={save} aria-label="Routing rules">
      <div className="field">
        <label htmlFor="tier-strong">Strong model</label>
        <input id="tier-strong" className="input" value={strong} onChange={(e) => setStrong(e.target.value)} spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="tier-fast">Fast model</label>
        <input id="tier-fast" className="input" value={fast} onChange={(e) => setFast(e.target.value)} spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="tier-local">Local model</label>
        <input id="tier-local" className="input" value={local} onChange={(e) => setLocal(e.target.value)} placeholder="None (Ollama model)" list={localList} spellCheck={false} />
        <datalist id={localList}>
          {(installed ?? []).map((m) => (
            <option key={m.name} value={m.name} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor="downgrade-to">Downgrade to</label>
        <select id="downgrade-to" className="input" value={downgradeTo} onChange={(e) => setDowngradeTo(e.target.value === 'local' ? 'local' : 'fast')}>
          <option value="fast">Fast tier</option>
          <option value="local">Local tier</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="bg-on">Small background calls</label>
        <div className="inline-controls">
          <input id="bg-on" type="checkbox" className="switch" role="switch" checked={bgOn} onChange={(e) => setBgOn(e.target.checked)} />
          <span className="muted">up to</span>
          <input className="input input-narrow" inputMode="numeric" value={bgMax} onChange={(e) => setBgMax(e.target.value)} disabled={!bgOn} aria-label="Largest max_tokens counted as a background call" />
          <span className="muted">tokens →</span>
          <select className="input input-narrow" value={bgTier} onChange={(e) => setBgTier(e.target.value === 'local' ? 'local' : 'fast')} disabled={!bgOn} aria-label="Tier for background calls">
            <option value="fast">fast</option>
            <option value="local">local</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="overload">When overloaded</label>
        <input id="overload" className="input" value={overload} onChange={(e) => setOverload(e.target.value)} placeholder="Fast tier" spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="response-cache">Reuse identical answers</label>
        <div className="inline-controls">
          <input id="response-cache" className="input input-narrow" inputMode="numeric" value={cacheSeconds} onChange={(e) => setCacheSeconds(e.target.value)} aria-describedby="response-cache-note" />
          <span id="response-cache-note" className="muted">
            seconds (0 = off; temperature-0 requests only)
          </span>
        </div>
      </div>
      <div className="field field-stack">
        <label htmlFor="aliases">Model aliases</label>
        <textarea id="aliases" className="input" rows={2} value={aliases} onChange={(e) => setAliases(e.target.value)} placeholder="sonnet = claude-sonnet-4-6" spellCheck={false} />
      </div>
      <div className="field field-stack">
        <label htmlFor="agent-rules">Agent → model</label>
        <textarea id="agent-rules" className="input" rows={2} value={rules} onChange={(e) => setRules(e.target.value)} placeholder="reviewer = claude-haiku-4-5" spellCheck={false} />
      </div>
      <div className="form-actions">
        <SaveStatus state={state} />
        <button type="submit" className="btn btn-primary">
          Save routing
        </button>
      </div>
    </form>
  );
}
