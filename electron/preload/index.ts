// Runs sandboxed, before the page: it may require only 'electron'. Bundled to CommonJS by
// scripts/build-electron.mjs because sandboxed preloads cannot load ES modules.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('sluice', createBridge(ipcRenderer));
