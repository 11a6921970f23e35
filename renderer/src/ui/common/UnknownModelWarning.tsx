import { Icon } from './Icon';

/** Spend on a model with no known price is counted at the dearest known price; say so where money shows. */
export function UnknownModelWarning({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <p className="warning-line" role="note" data-testid="unknown-model-warning">
      <Icon name="warning" />
      <span>
        {count} request{count === 1 ? '' : 's'} today used a model Sluice has no price for, counted at the highest known price. Add its price to get exact figures.
      </span>
    </p>
  );
}
