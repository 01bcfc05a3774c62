import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh folder for a test's SQLite file; removed by `cleanup()`. */
export function tempDir(prefix = 'coachline-test-'): { dir: string; file: (name?: string) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file: (name = 'coachline.sqlite') => path.join(dir, name),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
