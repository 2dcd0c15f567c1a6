import type { Category } from './data.js';

/** The domain's fixed vocabulary: check, model, views and renderers all take it from here. */

/** The ten categories of service standards, in the order the framework table lists them. */
export const CATEGORY_ORDER: [Category, string][] = [
  ['quality', '服务质量标准'], ['openness', '服务公开标准'], ['efficiency', '服务效能标准'], ['mode', '服务模式标准'],
  ['management', '服务管理标准'], ['image', '服务形象标准'], ['supervision', '服务监督标准'], ['evaluation', '服务评价标准'],
  ['creation', '服务创建标准'], ['basics', '服务基础标准'],
];

/** The sub-systems of the framework (GB/T 24421.2) when project.yaml names none. */
export const DEFAULT_SYSTEMS = [
  { key: 'basics', code: 1, name: '通用基础标准体系' },
  { key: 'provision', code: 2, name: '服务提供标准体系' },
  { key: 'support', code: 3, name: '服务保障标准体系' },
  { key: 'evaluation', code: 4, name: '服务评价与改进标准体系' },
  { key: 'post', code: 5, name: '岗位工作标准体系' },
];
