import os from 'node:os';
import path from 'node:path';

export interface PathEnv {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
}

const defaultPathEnv = (): PathEnv => ({ env: process.env, platform: process.platform, homedir: os.homedir() });

/**
 * Where Sluice keeps its ledger and indexes: `SLUICE_DATA_DIR`, else the platform's
 * app-data folder + "Sluice" (the same folder Electron's `app.getPath('userData')` uses).
 */
export function resolveDataDir(p: PathEnv = defaultPathEnv()): string {
  const explicit = p.env.SLUICE_DATA_DIR;
  if (explicit && explicit.trim() !== '') return path.resolve(explicit);
  switch (p.platform) {
    case 'darwin':
      return path.join(p.homedir, 'Library', 'Application Support', 'Sluice');
    case 'win32':
      return path.join(p.env.APPDATA ?? path.join(p.homedir, 'AppData', 'Roaming'), 'Sluice');
    default:
      return path.join(p.env.XDG_CONFIG_HOME ?? path.join(p.homedir, '.config'), 'Sluice');
  }
}
