import { pathToFileURL } from 'node:url';

/**
 * The one page both windows load: dist/renderer/index.html. The query picks the view
 * (`?view=popover` or `?view=dispatch`); the hash names the item a notification points at
 * (`#focus=task:<id>` or `#focus=budget`). Changing only the hash is a same-document navigation,
 * so opening the popover on an item does not reload it; the renderer listens for `hashchange`.
 */
export type View = 'popover' | 'dispatch';
export type Focus = { kind: 'task'; id: string } | { kind: 'budget' };

export function rendererUrl(indexFile: string, view: View, focus?: Focus | null): string {
  const url = pathToFileURL(indexFile);
  url.searchParams.set('view', view);
  if (focus) url.hash = `focus=${focus.kind === 'task' ? `task:${encodeURIComponent(focus.id)}` : 'budget'}`;
  return url.href;
}

/** Our page, whatever its query and hash; anything else (another file, another scheme) is not. */
export function isRendererUrl(url: string, indexFile: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const ours = pathToFileURL(indexFile);
  return parsed.protocol === 'file:' && parsed.host === ours.host && parsed.pathname === ours.pathname;
}
