/** Covers by status, decided in the standard view so every renderer (HTML, PDF, docx) prints the same. */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/load/project-loader.js';
import { checkProject } from '../src/check/check-project.js';
import { resolveProject } from '../src/model/project.js';
import { standardView, PATENT_NOTICE } from '../src/views/standard-view.js';
import { renderStandardPdf } from '../src/render/pdf/standard-pdf.js';
import { loadFontBook } from '../src/typography/fonts.js';
import { SAMPLE } from './helpers.js';
import { pdfPages, squash } from './pdf-text.js';

describe('standard covers by status', async () => {
  const loaded = await loadProject(SAMPLE);
  const project = resolveProject(checkProject(loaded), loaded.root);
  const draft = project.standards.find((s) => s.status === 'draft')!;

  it('a draft is a 征求意见稿 by default, with placeholder dates and the patent notice', () => {
    const v = standardView(project, { ...draft, issued: '2025-01-01', effective: '2025-02-01' });
    expect(v).toMatchObject({ draftStage: '征求意见稿', patentNotice: PATENT_NOTICE, issuedLine: 'XXXX-XX-XX发布', effectiveLine: 'XXXX-XX-XX实施' });
  });

  it('a 送审稿 or 报批稿 keeps the placeholders and names its stage, without the feedback notice', async () => {
    for (const stage of ['送审稿', '报批稿'] as const) {
      const v = standardView(project, { ...draft, draftStage: stage });
      expect(v.draftStage).toBe(stage);
      expect(v.patentNotice).toBeUndefined();
      expect(v.issuedLine).toBe('XXXX-XX-XX发布');
    }
    const pdf = await renderStandardPdf(standardView(project, { ...draft, draftStage: '报批稿' }), loadFontBook({}, project.root));
    const cover = squash((await pdfPages(pdf))[0]!);
    expect(cover).toContain('（报批稿）');
    expect(cover).not.toContain('专利');
  });

  it('a current standard has real dates, no stage and no replaced mark; a superseded one names its successor', () => {
    const current = project.standards.find((s) => s.status === 'current' && s.issued)!;
    const v = standardView(project, current);
    expect(v).toMatchObject({ issuedLine: `${current.issued}发布`, draftStage: undefined, patentNotice: undefined, replacedMark: undefined, runningHeader: current.code });
    const old = project.standards.find((s) => s.status === 'superseded' && s.replacedBy)!;
    expect(standardView(project, old)).toMatchObject({ replacedMark: `已被${old.replacedBy}代替`, runningHeader: `${old.code}（已被${old.replacedBy}代替）` });
  });
});
