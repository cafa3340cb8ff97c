// Where a trained model goes: a single JSON file (aekit's artifacts with the
// weights in base64) the user downloads and loads back, or IndexedDB, which
// keeps the artifacts as they are (the weights as an ArrayBuffer).
import { KINDS } from './kinds.js';
import type { SavedModel } from './protocol.js';

const FILE_FORMAT = 'aekit-web-demo';
const FILE_VERSION = 1;

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let text = '';
  // In slices: String.fromCharCode takes its bytes as arguments, and arguments are limited.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** The model as the text of one `.json` file. */
export function modelToFile(saved: SavedModel): string {
  const { modelTopology, weightSpecs, weightData } = saved.artifacts;
  return JSON.stringify({ format: FILE_FORMAT, version: FILE_VERSION, kind: saved.kind, history: saved.history, modelTopology, weightSpecs, weightData: toBase64(weightData) });
}

/** Reads a file written by {@link modelToFile}; `name` is the file's name, for errors. aekit checks the model itself. */
export function modelFromFile(text: string, name: string): SavedModel {
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${name} is not JSON: ${(error as Error).message}`);
  }
  if (file?.format !== FILE_FORMAT) throw new Error(`${name} is not a model saved by this page (format ${JSON.stringify(file?.format)}, expected '${FILE_FORMAT}')`);
  if (file.version !== FILE_VERSION) throw new Error(`${name} has version ${JSON.stringify(file.version)}; this page reads version ${FILE_VERSION}`);
  if (!KINDS.some((k) => k.id === file.kind)) throw new Error(`${name}: unknown model kind ${JSON.stringify(file.kind)}`);
  if (typeof file.weightData !== 'string') throw new Error(`${name}: weightData must be a base64 string`);
  return {
    kind: file.kind as SavedModel['kind'],
    history: (file.history ?? {}) as SavedModel['history'],
    artifacts: { modelTopology: file.modelTopology, weightSpecs: file.weightSpecs, weightData: fromBase64(file.weightData) } as SavedModel['artifacts'],
  };
}

const DB = 'aekit-web-demo';
const STORE = 'models';
const KEY = 'latest';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((done, fail) => {
    req.onsuccess = () => done(req.result);
    req.onerror = () => fail(req.error ?? new Error('IndexedDB request failed'));
  });
}

async function open(): Promise<IDBDatabase> {
  const req = indexedDB.open(DB, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE);
  return request(req);
}

/** Keeps `saved` in this browser's IndexedDB, replacing the model kept before. */
export async function saveToBrowser(saved: SavedModel): Promise<void> {
  const db = await open();
  try {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(saved, KEY);
    await new Promise<void>((done, fail) => {
      tx.oncomplete = () => done();
      tx.onerror = tx.onabort = () => fail(tx.error ?? new Error('IndexedDB transaction failed'));
    });
  } finally {
    db.close();
  }
}

/** The model kept by {@link saveToBrowser}, or undefined if none was. */
export async function loadFromBrowser(): Promise<SavedModel | undefined> {
  const db = await open();
  try {
    return await request<SavedModel | undefined>(db.transaction(STORE).objectStore(STORE).get(KEY));
  } finally {
    db.close();
  }
}
