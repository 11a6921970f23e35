import type { TokensByKind } from '../../../../shared/contract';
import { formatTokens } from '../../format/format';
import { Meter } from '../common/Meter';

/** How much of today's prompt was read from the cache (billed at a tenth), with the token mix. */
export function CacheShare({ share, tokens }: { share: number; tokens: TokensByKind }) {
  const pct = Math.round(share * 100);
  const rows: [string, number][] = [
    ['Input', tokens.input],
    ['Cache read', tokens.cacheRead],
    ['Cache write', tokens.cacheWrite5m + tokens.cacheWrite1h],
    ['Output', tokens.output],
  ];
  return (
    <div className="cache">
      <div className="cache-head">
        <span className="cache-pct" data-testid="cache-share">
          {pct}%
        </span>
        <span className="muted">of today’s prompt tokens came from the cache</span>
      </div>
      <Meter value={pct} max={100} tone="ok" label={`Cache-read share: ${pct}%`} />
      <dl className="token-mix">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{formatTokens(v)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
