import { AlignmentType, BorderStyle, type IParagraphStyleOptions } from 'docx';
import { runFonts, type DocxFonts } from './fonts.js';
import { exactLine, pt } from './kit.js';

/** Defaults of every document: the body font for East Asian and Latin text, 五号, no theme fonts. */
export function documentDefaults(fonts: DocxFonts) {
  return {
    document: {
      run: { font: runFonts(fonts.body), size: 21 },
      paragraph: { spacing: { before: 0, after: 0 } },
    },
  };
}

/** Styles every normkit document has: body text, header and footer. */
export function baseStyles(fonts: DocxFonts): IParagraphStyleOptions[] {
  const run = (role: keyof DocxFonts, size: number) => ({ font: runFonts(fonts[role]), size: size * 2, bold: fonts[role].bold });
  return [
    { id: 'NkBody', name: '标准文件_段', basedOn: 'Normal', next: 'NkBody', quickFormat: true, run: run('body', 10.5), paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { firstLine: pt(21) }, spacing: exactLine(10.5, 1.7) } },
    { id: 'NkCover', name: '封面', basedOn: 'Normal', run: run('body', 10.5), paragraph: {} },
    { id: 'NkHeader', name: '页眉', basedOn: 'Normal', run: run('heading', 10.5), paragraph: { alignment: AlignmentType.RIGHT, border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '000000', space: 1 } } } },
    { id: 'NkFooter', name: '页脚', basedOn: 'Normal', run: run('body', 9), paragraph: { alignment: AlignmentType.CENTER } },
  ];
}
