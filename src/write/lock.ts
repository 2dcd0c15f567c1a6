import { lstat, open, readFile, rm, rmdir } from 'node:fs/promises';
import { makeFolders } from './folders.js';
import path from 'node:path';

export const LOCK = '.normkit-lock';

/** Another live build holds the output folder. */
export class OutputLocked extends Error {}

/**
 * One build at a time per output folder: an exclusive lock file with the owner's pid. A lock whose
 * process is gone (a killed build) is stale and taken over.
 */
export async function lockOutput(outDir: string): Promise<{ release: () => Promise<void>; staleFrom?: number }> {
  // a first build that fails must not leave an empty output folder behind
  const created = (await makeFolders(outDir)) !== undefined;
  const file = path.join(outDir, LOCK);
  let staleFrom: number | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(`${process.pid}\n`);
        await fh.close();
      } catch (e) {
        // a full disk: no empty lock (nor a new empty folder) left behind in the previous output
        await fh.close().catch(() => undefined);
        await rm(file, { force: true });
        if (created) await rmdir(outDir).catch(() => undefined);
        throw e;
      }
      const release = async (): Promise<void> => {
        await rm(file, { force: true });
        if (created) await rmdir(outDir).catch(() => undefined);
      };
      return { release, staleFrom };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const st = await lstat(file).catch(() => undefined);
      if (st && !st.isFile()) {
        throw new OutputLocked(`${file} 不是 normkit 的锁文件（它是${st.isDirectory() ? '一个文件夹' : '一个链接或特殊文件'}），构建没有改动输出文件夹。请确认它没有用处后删除或改名，再重新构建。`);
      }
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new OutputLocked(`另一个 normkit 构建（进程 ${pid}）正在写入 ${outDir}。请等它完成后再试；如果确认没有其他构建在运行，请删除 ${file}。`);
      }
      staleFrom = pid || undefined;
      await rm(file, { force: true });
    }
  }
  throw new OutputLocked(`无法获得输出文件夹的锁：${file}。`);
}

/** Whether a process with this pid still runs (EPERM: it runs as another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
