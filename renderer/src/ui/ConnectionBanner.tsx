import { useApp } from '../state/store-context';

/** Only shown when something is wrong: a quiet line under the tabs, never a modal. */
export function ConnectionBanner() {
  const connection = useApp((s) => s.connection);
  if (connection === 'open' || connection === 'connecting') return null;
  return (
    <div className={`banner banner-${connection === 'unauthorized' ? 'error' : 'warning'}`} role="status">
      {connection === 'unauthorized' ? (
        <>
          Sluice restarted with a new dashboard link. Open the link <code>sluice serve</code> printed in your terminal.
        </>
      ) : (
        'Reconnecting to Sluice…'
      )}
    </div>
  );
}
