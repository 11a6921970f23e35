/** Why a file is left out of the index. Reported back so a user can see what the agent was not shown. */
export type SkipReason = 'binary' | 'vendored' | 'generated' | 'lockfile' | 'huge' | 'unreadable' | 'symlink';

export interface SkippedPath {
  /** Relative, forward slashes; a folder ends with '/'. */
  path: string;
  reason: SkipReason;
}

/** Third-party code checked into (or installed inside) a project. */
const VENDORED_DIRS = new Set([
  'node_modules', 'bower_components', 'jspm_packages', 'vendor', 'third_party', 'third-party', 'thirdparty',
  '.venv', 'venv', 'site-packages', '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache', 'Pods', '.yarn',
  '.pnpm-store', 'Carthage',
]);

/** Never part of the project's content, never worth reporting. */
const SILENT_DIRS = new Set(['.git', '.hg', '.svn', '.DS_Store']);

const LOCKFILES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock', 'Cargo.lock',
  'Gemfile.lock', 'poetry.lock', 'Pipfile.lock', 'uv.lock', 'pdm.lock', 'composer.lock', 'go.sum', 'mix.lock',
  'pubspec.lock', 'Podfile.lock', 'flake.lock', 'packages.lock.json', 'gradle.lockfile', 'deno.lock',
]);

const BINARY_EXTENSIONS = new Set(
  (
    'png jpg jpeg gif bmp ico icns webp tiff tif psd ai sketch fig heic avif svgz ' +
    'woff woff2 ttf otf eot ' +
    'zip gz tgz bz2 xz 7z rar tar zst lz4 jar war ear apk ipa dmg iso deb rpm msi whl egg ' +
    'exe dll so dylib a o obj lib bin dat class pyc pyo pyd wasm node ' +
    'mp3 mp4 m4a wav ogg flac avi mov mkv webm ' +
    'pdf doc docx xls xlsx ppt pptx odt ' +
    'sqlite sqlite3 db mdb parquet feather npy npz pkl pickle h5 onnx pt pth ckpt safetensors'
  ).split(' '),
);

const GENERATED_NAME = [/\.min\.(js|mjs|css)$/, /\.map$/, /_pb2(_grpc)?\.pyi?$/, /\.pb\.(go|cc|h)$/, /\.generated\.[a-z]+$/, /\.g\.dart$/];

/** Files above this size are data or bundles, not something to hand an agent. */
export const DEFAULT_MAX_FILE_BYTES = 1_000_000;

export type DirVerdict = 'walk' | 'silent' | 'vendored';

export function classifyDir(name: string): DirVerdict {
  if (SILENT_DIRS.has(name)) return 'silent';
  if (VENDORED_DIRS.has(name)) return 'vendored';
  return 'walk';
}

/** What the name and size alone say; contents are checked later by `classifyContent`. */
export function classifyByName(name: string, size: number, maxBytes = DEFAULT_MAX_FILE_BYTES): SkipReason | null {
  if (LOCKFILES.has(name) || name.endsWith('.lock')) return 'lockfile';
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (BINARY_EXTENSIONS.has(ext)) return 'binary';
  if (GENERATED_NAME.some((re) => re.test(name))) return 'generated';
  if (size > maxBytes) return 'huge';
  return null;
}

// Conventions tools write at the top of their output (Go's "Code generated … DO NOT EDIT", Meta's @generated).
const GENERATED_MARKER = /@generated\b|\bDO NOT EDIT\b|^\s*(\/\/|#|\/\*+|\*|<!--)\s*(Code generated|This file (is|was) (automatically |auto-?)?generated|Automatically generated)\b/im;

/** Binary (a NUL byte, as git decides), generated (a marker in the head) or minified (very long lines). */
export function classifyContent(buf: Buffer): SkipReason | null {
  const head = buf.subarray(0, 8000);
  if (head.includes(0)) return 'binary';
  const headText = head.toString('utf8', 0, Math.min(head.length, 1200));
  if (GENERATED_MARKER.test(headText)) return 'generated';
  if (buf.length > 4000) {
    let lines = 1;
    for (let i = 0; i < buf.length; i++) if (buf[i] === 10) lines++;
    if (buf.length / lines > 400) return 'generated';
  }
  return null;
}
