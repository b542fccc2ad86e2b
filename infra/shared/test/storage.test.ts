import fs, { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalStorage } from '../src/storage.ts';

// LocalStorage in a real folder. A busy disk is played by holding back the open of files in it.
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fabline-storage-test-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

/** Every file under the storage folder. */
const files = () =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1));
/** Descriptors this process holds open on files under the storage folder. */
const openDescriptors = () =>
  readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target.startsWith(root));

/** Makes opening a file in the storage folder take `ms` longer, as on a loaded machine. */
function slowOpens(ms: number) {
  const open = fs.open;
  vi.spyOn(fs, 'open').mockImplementation(((path: fs.PathLike, ...rest: unknown[]) => {
    const callback = rest.pop() as (...args: unknown[]) => void;
    const go = () => (open as (...args: unknown[]) => void)(path, ...rest, callback);
    if (String(path).startsWith(root)) setTimeout(go, ms);
    else go();
  }) as typeof fs.open);
}

/** A source that failed before anything read it, as an upload whose client went away. */
function failedSource() {
  const source = new PassThrough();
  source.on('error', () => {});
  source.destroy(new Error('client went away'));
  return source;
}

/** Once the held-back opens have completed: no file in the folder, and none held open. */
async function expectNothingLeft() {
  vi.restoreAllMocks();
  await sleep(300);
  expect(files()).toEqual([]);
  expect(openDescriptors()).toEqual([]);
}

describe('LocalStorage', () => {
  it('leaves no file and no descriptor when a write fails before its file is even open', async () => {
    const storage = new LocalStorage(root);
    slowOpens(150);
    await expect(storage.write(failedSource())).rejects.toThrow('client went away');
    await expectNothingLeft();
  });

  it('leaves no file when a signed PUT over the limit is refused before its file is open', async () => {
    const storage = new LocalStorage(root);
    slowOpens(150);
    await expect(storage.writeAt('incoming/owner/id', Readable.from([Buffer.alloc(2048)]), 1024)).rejects.toMatchObject({ status: 413 });
    await expectNothingLeft();
  });

  it('still stores a file whose open was slow', async () => {
    const storage = new LocalStorage(root);
    slowOpens(50);
    const stored = await storage.write(Readable.from([Buffer.from('v 0 0 0\n')]));
    expect(stored.sizeBytes).toBe(8);
    expect(await storage.read(stored.key)).toEqual(Buffer.from('v 0 0 0\n'));
  });
});

describe('LocalStorage links', () => {
  it('signs the download filename: a link whose filename was changed or dropped does not verify', async () => {
    const storage = new LocalStorage(root, { signingSecret: 'secret', publicUrl: 'http://files.test' });
    const url = new URL(await storage.downloadUrl('models/ab/abc-1', { expiresInSeconds: 60, filename: 'part.stl' }));
    const expires = Number(url.searchParams.get('expires'));
    const signature = url.searchParams.get('signature') ?? '';
    expect(storage.verify('GET', 'models/ab/abc-1', expires, signature, 'part.stl')).toBe(true);
    expect(storage.verify('GET', 'models/ab/abc-1', expires, signature, 'invoice.exe')).toBe(false);
    expect(storage.verify('GET', 'models/ab/abc-1', expires, signature)).toBe(false);
  });
});
