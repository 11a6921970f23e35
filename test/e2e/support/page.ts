import type { BrowserContext, Page } from 'playwright-core';

/**
 * Records every notification the page creates (the real constructor still runs), and every CSP
 * violation, so tests can assert on what a person would have seen.
 */
export async function instrument(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __notes: { title: string; body: string }[]; __csp: string[]; Notification: typeof Notification };
    w.__notes = [];
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    const Real = window.Notification;
    if (!Real) return;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        w.__notes.push({ title, body: options?.body ?? '' });
      }
    }
    Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
    Object.defineProperty(Recorded, 'requestPermission', { value: Real.requestPermission.bind(Real) });
    w.Notification = Recorded;
  });
}

export async function notes(page: Page): Promise<{ title: string; body: string }[]> {
  return page.evaluate(() => (window as unknown as { __notes: { title: string; body: string }[] }).__notes);
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

export async function openTab(page: Page, name: 'Now' | 'Spend' | 'Models' | 'Settings'): Promise<void> {
  await page.getByRole('tab', { name }).click();
}
