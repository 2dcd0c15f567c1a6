import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './io.js';

/** `dir` if given; else ./standards (the bundled sample in a checkout), else the current folder. */
export function resolveProjectDir(dir: string | undefined, cwd = process.cwd()): string {
  if (dir !== undefined) return path.resolve(cwd, dir);
  if (existsSync(path.join(cwd, 'standards', 'project.yaml'))) return path.join(cwd, 'standards');
  if (existsSync(path.join(cwd, 'project.yaml'))) return cwd;
  throw new UsageError('这里找不到项目：当前文件夹及其 standards/ 子文件夹中都没有 project.yaml。请指定项目文件夹，例如 normkit validate my-project。');
}
