import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether `abs`, with every link in its path followed, is still inside the folder `root` (itself
 * followed): a template, source or font linked to /etc/passwd must not be read into the output.
 * false when it cannot be resolved (a dangling link or a loop); `broken` says so apart.
 */
export function resolvesInside(root: string, abs: string): boolean {
  return whereLinks(root, abs) === 'inside';
}

export function whereLinks(root: string, abs: string): 'inside' | 'outside' | 'broken' {
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(abs);
  } catch {
    return 'broken';
  }
  const rel = path.relative(realRoot, real);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel) ? 'inside' : 'outside';
}

export const OUTSIDE = '这个链接指向项目文件夹之外，normkit 不读取它（以免把项目外的文件发布出去）。请把文件复制进项目文件夹，或删除这个链接。';
