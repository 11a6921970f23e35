/** A thin horizontal bar for a share of something (a cap used, a download, cache reads). */
export function Meter({ value, max, tone = 'accent', label, className }: { value: number; max: number; tone?: 'accent' | 'ok' | 'warning' | 'critical' | 'exhausted' | 'muted'; label: string; className?: string }) {
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div className={`meter meter-${tone}${className ? ` ${className}` : ''}`} role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={Math.min(value, max)}>
      <div className="meter-fill" style={{ transform: `scaleX(${share})` }} />
    </div>
  );
}
