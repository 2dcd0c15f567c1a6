import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether `abs`, with every link in its path followed, is still inside the folder `root` (itself
 * followed): a template, source or font linked to /etc/passwd must not be read into the output.
 * false when it cannot be resolved (a dangling link or a loop).
 */
export function resolvesInside(root: string, abs: string): boolean {
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(abs);
  } catch {
    return false;
  }
  const rel = path.relative(realRoot, real);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

export const OUTSIDE = '这个链接指向项目文件夹之外，normkit 不读取它（以免把项目外的文件发布出去）。请把文件复制进项目文件夹，或删除这个链接。';
