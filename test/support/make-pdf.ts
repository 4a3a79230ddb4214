/**
 * Real-looking article PDFs made at test time from real records (@cantoo/pdf-lib, a maintained
 * pdf-lib with encryption): a journal header (with or without the DOI), the title over one to three
 * lines, authors, the abstract; or a "scanned" page with no text layer, an encrypted or a damaged file.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont } from '@cantoo/pdf-lib';

export interface ArticleText {
  title: string;
  authors?: string[];
  abstract?: string;
  journal?: string;
  year?: number;
  doi?: string;
}

export interface PdfOptions {
  /** Print the DOI in the header (default true when the record has one). */
  doiOnPage?: boolean;
  /** Put title and DOI in the document metadata (default false). */
  metadata?: boolean;
  /** Shapes only: a page as a scanner without OCR makes it. */
  noTextLayer?: boolean;
  /** Encrypt with this user password. */
  password?: string;
  /** Extra pages of body text. */
  pages?: number;
}

/** Characters Helvetica (WinAnsi) cannot encode become '?'. */
function encodable(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());
  return [...text.normalize('NFC')].map((char) => (supported.has(char.codePointAt(0)!) ? char : '?')).join('');
}

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export async function articlePdf(article: ArticleText, options: PdfOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([595, 842]);
  const width = 595 - 2 * 56;
  let y = 800;
  if (options.noTextLayer) {
    // Grey bars where the lines of text would be: ink without characters.
    for (let line = 0; line < 40; line++) page.drawRectangle({ x: 56, y: 800 - line * 18, width: 300 + ((line * 37) % 180), height: 9, color: rgb(0.3, 0.3, 0.3) });
  } else {
    const doi = article.doi && (options.doiOnPage ?? true) ? `   https://doi.org/${article.doi}` : '';
    page.drawText(encodable(font, `${article.journal ?? 'Journal of Reviews'} (${article.year ?? 2020})${doi}`), { x: 56, y, size: 8, font });
    y -= 40;
    for (const line of wrap(bold, encodable(bold, article.title), 16, width)) {
      page.drawText(line, { x: 56, y, size: 16, font: bold });
      y -= 20;
    }
    y -= 8;
    const authors = (article.authors ?? []).slice(0, 8).join(', ');
    for (const line of wrap(font, encodable(font, authors), 10, width)) {
      page.drawText(line, { x: 56, y, size: 10, font });
      y -= 14;
    }
    y -= 16;
    page.drawText('Abstract', { x: 56, y, size: 11, font: bold });
    y -= 16;
    for (const line of wrap(font, encodable(font, article.abstract ?? ''), 9.5, width)) {
      if (y < 60) break;
      page.drawText(line, { x: 56, y, size: 9.5, font });
      y -= 12.5;
    }
  }
  for (let extra = 0; extra < (options.pages ?? 0); extra++) {
    const body = doc.addPage([595, 842]);
    body.drawText(`Page ${extra + 2}: Methods and results.`, { x: 56, y: 800, size: 10, font });
  }
  if (options.metadata) {
    doc.setTitle(encodable(font, article.title));
    if (article.doi) doc.setSubject(`doi:${article.doi}`);
  }
  doc.setProducer('sr-screening tests');
  if (options.password) doc.encrypt({ userPassword: options.password, ownerPassword: `${options.password}-owner` });
  return doc.save();
}

/** A PDF whose cross-reference table and objects are cut off after the header: what a broken download leaves. */
export async function damagedPdf(article: ArticleText): Promise<Uint8Array> {
  const bytes = await articlePdf(article);
  return bytes.slice(0, 120);
}
