import path from 'node:path';
import { Diagnostics } from '../diagnostics.js';
import { readSourceText } from '../load/read-text.js';
import { cellRef, type Workbook } from '../load/sheet-source.js';
import type { LoadedProject } from '../load/project-loader.js';
import type { DepartmentData, ItemData, ProjectData } from '../model/data.js';
import { findSheets, readItemRows, type ImportMap } from './item-rows.js';
import { DepartmentMatcher, itemPath, itemSchemaProblems, mergeItemText, type ExistingItem } from './merge-items.js';

export interface ItemImportPlan {
  /** Project-relative path → new text, for files that change. */
  writes: Map<string, string>;
  created: number;
  updated: number;
  unchanged: number;
  refused: number;
  departmentsCreated: DepartmentData[];
}

/**
 * What importing a workbook into a project would write. Rows with problems are refused (each
 * problem a diagnostic at its cell) and the others go ahead; nothing is written here.
 */
export function planItemImport(wb: Workbook, loaded: LoadedProject, map: ImportMap, diags: Diagnostics): ItemImportPlan | undefined {
  const found = findSheets(wb, map);
  if (!found.items) {
    diags.error(wb.file, undefined, 'import-no-items-sheet', `没有找到事项表：${wb.sheets.map((s) => `“${s.name}”`).join('、')}中都没有“事项名称”等 GB/T 39046 列名（至少要认出 3 列，含事项名称）。请检查表头，或用 --map 写明列名对应的字段。`);
    return undefined;
  }
  const rows = readItemRows(wb.file, { ...found, items: found.items }, map, diags);
  const project = (loaded.project?.data ?? {}) as Partial<ProjectData>;
  const departments = new DepartmentMatcher(project.departments ?? [], map.departments);

  const existing = new Map<string, ExistingItem>();
  for (const src of loaded.items) {
    const data = (src.data ?? {}) as Partial<ItemData>;
    const entry: ExistingItem = { file: src.file, text: '', data };
    if (data.implementation_code) existing.set(`i:${data.implementation_code}`, entry);
    if (data.code) existing.set(`c:${data.code}`, entry);
  }
  const plan: ItemImportPlan = { writes: new Map(), created: 0, updated: 0, unchanged: 0, refused: 0, departmentsCreated: departments.created };
  const seen = new Map<string, number>();
  const col = (f: string): number => Math.max(0, found.items!.cols.fields.indexOf(f as never));
  const at = (row: number, c: number) => ({ file: wb.file, line: row + 1, column: c + 1, cell: cellRef(found.items!.sheet.name, row, c) });

  for (const r of rows) {
    if (r.refused) {
      plan.refused++;
      continue;
    }
    const p = r.patch;
    const key = p.implementation_code ?? p.code;
    if (key !== undefined) {
      const first = seen.get(key);
      if (first !== undefined) {
        diags.add({ ...at(r.row, col(p.implementation_code ? 'implementation_code' : 'code')), severity: 'error', rule: 'import-duplicate-item', message: `编码“${key}”与第 ${first + 1} 行重复，本行未导入。同一事项只能出现一行；不同事项请改正编码。` });
        plan.refused++;
        continue;
      }
      seen.set(key, r.row);
    }
    const old = (p.implementation_code ? existing.get(`i:${p.implementation_code}`) : undefined) ?? (p.code ? existing.get(`c:${p.code}`) : undefined);
    if (!p.code) {
      const code = old?.data.code ?? p.implementation_code ?? p.base_code;
      if (!code) {
        diags.add({ ...at(r.row, col('code')), severity: 'error', rule: 'import-missing-value', message: '本行没有事项编码、实施编码或基本编码，无法确定文件名。请至少填写其中一项。' });
        plan.refused++;
        continue;
      }
      p.code = code;
    }
    if (!p.department && r.implementer) {
      const d = departments.idFor(r.implementer);
      p.department = d.id;
      if (d.created) diags.add({ ...at(r.row, col('implementer')), severity: 'warning', rule: 'import-department-created', message: `实施主体“${r.implementer}”不在 project.yaml 的 departments 中，已新建部门 ${d.id}。请在 project.yaml 中补上它的窗口和电话，或在映射文件的 departments 中对应到已有部门。` });
    } else if (p.department && !departments.has(p.department)) {
      diags.add({ ...at(r.row, col('department')), severity: 'error', rule: 'import-unknown-department', message: `部门“${p.department}”不在 project.yaml 的 departments 中。请填写已有部门的 id，或改填实施主体名称。` });
      plan.refused++;
      continue;
    }
    if (!p.department && !old?.data.department) {
      diags.add({ ...at(r.row, col('implementer')), severity: 'error', rule: 'import-missing-value', message: '实施主体为空，不知道事项属于哪个部门。请填写实施主体。' });
      plan.refused++;
      continue;
    }
    if (old && !old.text) old.text = readText(loaded, old.file);
    const { text, data, changed } = mergeItemText(old, p);
    const problems = itemSchemaProblems(text, data);
    if (problems.length) {
      diags.add({ ...at(r.row, col('name')), severity: 'error', rule: 'import-invalid-item', message: `事项“${p.name ?? p.code}”导入后不完整，未导入：${problems.join('；')}。请在表中补齐相应的列，或先在 YAML 中写好再导入。` });
      plan.refused++;
      continue;
    }
    const file = old?.file ?? itemPath(p.department ?? old!.data.department!, p.code);
    if (old && !changed) plan.unchanged++;
    else {
      plan.writes.set(file, text);
      if (old) plan.updated++;
      else plan.created++;
    }
  }
  return plan;
}

/** The YAML text of an existing item as it is on disk (the loader keeps only the parsed data). */
function readText(loaded: LoadedProject, file: string): string {
  return readSourceText(path.join(loaded.root, file), file, new Diagnostics()) ?? '';
}
