import { useRef, type KeyboardEvent } from 'react';
import type { Tab } from '../state/store';

export const TABS: { id: Tab; label: string }[] = [
  { id: 'now', label: 'Now' },
  { id: 'spend', label: 'Spend' },
  { id: 'models', label: 'Models' },
  { id: 'settings', label: 'Settings' },
];

/** A segmented control that is an ARIA tab list: arrows move between tabs, one tab stop. */
export function Tabs({ current, onSelect }: { current: Tab; onSelect: (tab: Tab) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.findIndex((t) => t.id === current);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = (to + TABS.length) % TABS.length;
    const tab = TABS[next];
    if (!tab) return;
    onSelect(tab.id);
    refs.current[next]?.focus();
  };
  return (
    <div className="segmented" role="tablist" aria-label="Sluice" onKeyDown={onKeyDown}>
      {TABS.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={current === t.id}
          aria-controls={`panel-${t.id}`}
          tabIndex={current === t.id ? 0 : -1}
          className="segment"
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
