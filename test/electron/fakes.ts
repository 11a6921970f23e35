/**
 * Typed fakes of the few Electron objects the shell drives (the ports in electron/main/ports.ts and
 * beside each module). They record what was done to them and let a test fire the events Electron
 * would. No globals are patched: every module under test receives these as arguments.
 */
import type { Rect, Point, WindowPort, WebContentsPort, ScreenPort } from '../../electron/main/ports';
import type { Timers } from '../../electron/main/throttle';

type Listener = (...args: never[]) => unknown;

/** A tiny typed event emitter: `on` records, `emit` calls. */
class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emitWith(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => unknown)(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export class FakeWebContents implements WebContentsPort {
  readonly sent: { channel: string; args: unknown[] }[] = [];
  destroyed = false;
  constructor(readonly id: number) {}
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

let nextId = 1;

export class FakeWindow extends Emitter implements WindowPort {
  readonly webContents = new FakeWebContents(nextId++);
  readonly loaded: string[] = [];
  readonly positions: Point[] = [];
  visible = false;
  destroyed = false;
  focused = 0;
  constructor(private readonly size: [number, number] = [400, 600]) {
    super();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused++;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getSize(): number[] {
    return [...this.size];
  }
  setPosition(x: number, y: number): void {
    // Electron throws on non-integers ("Error processing argument"); so does the fake.
    if (!Number.isInteger(x) || !Number.isInteger(y)) throw new TypeError(`setPosition(${x}, ${y}): integers only`);
    this.positions.push({ x, y });
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }
  /** What Electron does when the window loses focus. */
  blur(): void {
    this.emitWith('blur');
  }
  /** A close request (the page calling window.close(), or Cmd+W): true if it went through. */
  requestClose(): boolean {
    let prevented = false;
    this.emitWith('close', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      this.destroyed = true;
      this.visible = false;
      this.emitWith('closed');
    }
    return !prevented;
  }
}

export class FakeScreen implements ScreenPort {
  cursor: Point = { x: 0, y: 0 };
  constructor(readonly displays: { bounds: Rect; workArea: Rect }[]) {}
  private containing(p: Point) {
    return this.displays.find((d) => p.x >= d.bounds.x && p.x < d.bounds.x + d.bounds.width && p.y >= d.bounds.y && p.y < d.bounds.y + d.bounds.height) ?? this.displays[0]!;
  }
  getDisplayMatching(rect: Rect) {
    return this.containing({ x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 });
  }
  getDisplayNearestPoint(point: Point) {
    return this.containing(point);
  }
  getCursorScreenPoint(): Point {
    return this.cursor;
  }
}

/** Timers a test advances by hand. */
export class ManualTimers implements Timers {
  time = 0;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.queue.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.queue.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.queue = this.queue.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = until;
  }
  pending(): number {
    return this.queue.length;
  }
}

export { Emitter };
