import { lazy, Suspense, useEffect } from 'react';
import { useApp } from '../state/store-context';
import { Tabs, TABS } from './Tabs';
import { NowView } from './now/NowView';
import { ModelsView } from './models/ModelsView';
import { SettingsView } from './settings/SettingsView';
import { ConnectionBanner } from './ConnectionBanner';
import { formatUsd } from '../format/format';
import { Loading } from './common/States';

// Charts (recharts) are most of the bundle; the popover opens on Now without waiting for them.
const loadSpend = () => import('./spend/SpendView');
const SpendView = lazy(() => loadSpend().then((m) => ({ default: m.SpendView })));

export function App() {
  const { tab, setTab, transport, spent, drillOpen } = useApp((s) => ({ tab: s.tab, setTab: s.setTab, transport: s.transport, spent: s.overview.data?.budget.spentMicros ?? null, drillOpen: s.drill !== null }));

  // In the desktop popover Escape closes it (main hides the window on close), unless a sheet is open.
  useEffect(() => {
    if (transport !== 'ipc' || drillOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) window.close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [transport, drillOpen]);

  // ⌘1…⌘4 (Ctrl in a browser on Linux) switch views, like the segments of a macOS toolbar.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.metaKey || e.ctrlKey) || e.altKey || e.shiftKey) return;
      const t = TABS[Number(e.key) - 1];
      if (t) {
        e.preventDefault();
        setTab(t.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setTab]);

  // Fetch the charts once the popover is idle, so the Spend tab opens instantly too.
  useEffect(() => {
    const t = setTimeout(() => void loadSpend(), 1500);
    return () => clearTimeout(t);
  }, []);

  useEffect(() => {
    if (transport === 'ws') document.title = spent === null ? 'Sluice' : `${formatUsd(spent)} today — Sluice`;
  }, [transport, spent]);

  return (
    <div className="app" data-transport={transport}>
      <header className="topbar">
        <div className="brand" aria-hidden="true">
          <svg width="18" height="18" viewBox="0 0 32 32">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <path d="M7 20c3 0 3-4 6-4s3 4 6 4 3-4 6-4M9 11h14" fill="none" stroke="var(--bg)" strokeWidth="2.6" strokeLinecap="round" />
          </svg>
          Sluice
        </div>
        <Tabs current={tab} onSelect={setTab} />
      </header>
      <ConnectionBanner />
      <main className="view" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={-1}>
        {tab === 'now' ? (
          <NowView />
        ) : tab === 'spend' ? (
          <Suspense fallback={<Loading label="Loading charts" rows={5} />}>
            <SpendView />
          </Suspense>
        ) : tab === 'models' ? (
          <ModelsView />
        ) : (
          <SettingsView />
        )}
      </main>
    </div>
  );
}
