/** A few line icons drawn like SF Symbols (1.5 px strokes, round caps), decorative: labels live on the buttons. */
const PATHS = {
  pause: 'M6 4.5v11M14 4.5v11',
  play: 'M6.5 4.5l9 5.5-9 5.5z',
  stop: 'M5.5 5.5l9 9M14.5 5.5l-9 9',
  trash: 'M4.5 6h11M8 6V4.5h4V6M6 6l.7 9.5h6.6L14 6',
  refresh: 'M15.5 10a5.5 5.5 0 1 1-1.6-3.9M15.5 4v3.5H12',
  warning: 'M10 3.5l7 12.5H3zM10 8.5v3.5M10 14.2v.1',
  check: 'M4.5 10.5l3.5 3.5 7.5-8',
  back: 'M12.5 4.5L7 10l5.5 5.5',
  chevron: 'M7.5 4.5L13 10l-5.5 5.5',
  download: 'M10 3.5v9M6 9l4 4 4-4M4.5 16h11',
  bell: 'M6 13V9a4 4 0 0 1 8 0v4l1.5 1.5h-11zM8.5 16.5h3',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 14 }: { name: IconName; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill={name === 'play' ? 'currentColor' : 'none'} stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
