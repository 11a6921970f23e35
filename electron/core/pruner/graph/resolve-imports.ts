import { fileSegments } from '../rank/path-match';

/**
 * Resolves import specifiers to files of the repository, per language convention, falling
 * back to matching the specifier's trailing path segments (so `dayjs/plugin/utc`,
 * `_pytest.nodes` and `crate::config::load` find their files without a build system).
 */
export class ImportResolver {
  private readonly byPath = new Map<string, number>();
  /** Normalised trailing segments ("plugin/utc") → files. */
  private readonly bySuffix = new Map<string, number[]>();
  /** Normalised trailing folder segments → files directly inside (Go imports name a folder). */
  private readonly byFolder = new Map<string, number[]>();

  constructor(files: readonly { id: number; path: string }[]) {
    for (const f of files) {
      this.byPath.set(f.path, f.id);
      const segs = fileSegments(f.path);
      for (let k = 1; k <= Math.min(4, segs.length); k++) {
        const key = segs.slice(segs.length - k).join('/');
        const list = this.bySuffix.get(key);
        if (list) list.push(f.id);
        else this.bySuffix.set(key, [f.id]);
      }
      const folder = f.path.split('/').slice(0, -1).map((x) => x.toLowerCase().replace(/[^a-z0-9]/g, ''));
      for (let k = 1; k <= Math.min(3, folder.length); k++) {
        const key = folder.slice(folder.length - k).join('/');
        const list = this.byFolder.get(key);
        if (list) list.push(f.id);
        else this.byFolder.set(key, [f.id]);
      }
    }
  }

  resolve(fromPath: string, spec: string): number[] {
    const dir = fromPath.includes('/') ? fromPath.slice(0, fromPath.lastIndexOf('/')) : '';
    if (spec.startsWith('./') || spec.startsWith('../')) return this.relative(dir, spec);
    if (/\.py[i]?$/.test(fromPath)) return this.python(dir, spec);
    if (fromPath.endsWith('.rs')) return this.rust(fromPath, dir, spec);
    if (fromPath.endsWith('.go')) return this.folder(spec.split('/'));
    if (fromPath.endsWith('.java')) return this.suffix(spec.replace(/\.\*$/, '').split('.'), 2);
    return this.suffix(spec.split('/'), 2);
  }

  private relative(dir: string, spec: string): number[] {
    const parts = dir === '' ? [] : dir.split('/');
    for (const seg of spec.split('/')) {
      if (seg === '..') parts.pop();
      else if (seg !== '.' && seg !== '') parts.push(seg);
    }
    const base = parts.join('/');
    for (const candidate of [base, ...['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.d.ts', '.json'].map((e) => base + e)]) {
      const id = this.byPath.get(candidate);
      if (id !== undefined) return [id];
    }
    for (const index of ['index.ts', 'index.tsx', 'index.js', 'index.jsx', 'index.d.ts']) {
      const id = this.byPath.get(`${base}/${index}`);
      if (id !== undefined) return [id];
    }
    return [];
  }

  private python(dir: string, spec: string): number[] {
    const dots = /^\.+/.exec(spec)?.[0].length ?? 0;
    const rest = spec.slice(dots).split('.').filter((s) => s !== '');
    if (dots > 0) {
      const parts = dir === '' ? [] : dir.split('/');
      for (let i = 1; i < dots; i++) parts.pop();
      const base = [...parts, ...rest].join('/');
      for (const c of [`${base}.py`, `${base}/__init__.py`, `${base}.pyi`]) {
        const id = this.byPath.get(c);
        if (id !== undefined) return [id];
      }
      return [];
    }
    return this.suffix(rest, Math.min(2, rest.length));
  }

  private rust(fromPath: string, dir: string, spec: string): number[] {
    if (spec.startsWith('mod ')) {
      const name = spec.slice(4);
      const own = /\/(mod|lib|main)\.rs$|^(mod|lib|main)\.rs$/.test(fromPath) ? dir : fromPath.replace(/\.rs$/, '');
      const base = own === '' ? name : `${own}/${name}`;
      for (const c of [`${base}.rs`, `${base}/mod.rs`]) {
        const id = this.byPath.get(c);
        if (id !== undefined) return [id];
      }
      return [];
    }
    const segs = spec.replace(/\{.*$/, '').split('::').filter((s) => s !== '' && s !== 'crate' && s !== 'self' && s !== 'super');
    // `use a::b::Item` names an item inside module a::b: try the longest module path first.
    for (let len = segs.length; len >= 1; len--) {
      const hit = this.suffix(segs.slice(0, len), Math.min(len, 2));
      if (hit.length > 0) return hit;
    }
    return [];
  }

  private folder(segments: string[]): number[] {
    const norm = segments.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')).filter((s) => s !== '');
    for (let k = Math.min(3, norm.length); k >= Math.min(2, norm.length) && k >= 1; k--) {
      const hit = this.byFolder.get(norm.slice(norm.length - k).join('/'));
      if (hit) return hit.slice(0, 16);
    }
    return [];
  }

  /** Files whose normalised path ends with the specifier's last segments (at least `min` of them). */
  private suffix(segments: string[], min: number): number[] {
    const norm = segments.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')).filter((s) => s !== '');
    for (let k = Math.min(4, norm.length); k >= Math.max(1, min); k--) {
      const hit = this.bySuffix.get(norm.slice(norm.length - k).join('/'));
      // An ambiguous short suffix ("utils") says little; a handful of candidates is still a lead.
      if (hit && hit.length <= 4) return hit;
    }
    return [];
  }
}
