/**
 * The PRISMA exports by format, shared by the CLI and the extension: SVG (the diagram, print
 * colours), the PRISMA2020 R package's CSV template, a Markdown table and JSON. PNG is the SVG
 * rasterised by a browser (the webview) and then stamped with its resolution (setPngDpi).
 */
import { prismaCsv, prismaJson, prismaMarkdown, type PrismaCounts } from './prisma';
import { prismaSvgFile, type PrismaSvgOptions } from './prisma-svg';

export type PrismaFormat = 'svg' | 'png' | 'csv' | 'md' | 'json';
export type PrismaTextFormat = Exclude<PrismaFormat, 'png'>;

export const PRISMA_FORMATS: readonly PrismaFormat[] = ['svg', 'png', 'csv', 'md', 'json'];

export interface PrismaFormatInfo {
  format: PrismaFormat;
  /** File extension without the dot. */
  extension: string;
  /** For save dialogs and pickers. */
  label: string;
  detail: string;
  mime: string;
}

export const PRISMA_FORMAT_INFO: Record<PrismaFormat, PrismaFormatInfo> = {
  svg: { format: 'svg', extension: 'svg', label: 'SVG image', detail: 'The flow diagram as a vector image (print colours)', mime: 'image/svg+xml' },
  png: { format: 'png', extension: 'png', label: 'PNG image', detail: 'The flow diagram at print resolution (300 dpi)', mime: 'image/png' },
  csv: { format: 'csv', extension: 'csv', label: 'PRISMA2020 CSV', detail: "The PRISMA2020 R package's template, filled in", mime: 'text/csv' },
  md: { format: 'md', extension: 'md', label: 'Markdown table', detail: 'Every box and its count, pending records last', mime: 'text/markdown' },
  json: { format: 'json', extension: 'json', label: 'JSON', detail: 'The counts, named as in the PRISMA2020 package, with the flow checks', mime: 'application/json' },
};

export function isPrismaFormat(value: unknown): value is PrismaFormat {
  return typeof value === 'string' && (PRISMA_FORMATS as readonly string[]).includes(value);
}

/** The default file name of an export. */
export function prismaFileName(format: PrismaFormat): string {
  return `prisma-flow.${PRISMA_FORMAT_INFO[format].extension}`;
}

/** A text export's content. */
export function prismaText(counts: PrismaCounts, format: PrismaTextFormat, options: PrismaSvgOptions = {}): string {
  switch (format) {
    case 'svg':
      return prismaSvgFile(counts, options);
    case 'csv':
      return prismaCsv(counts);
    case 'md':
      return prismaMarkdown(counts);
    case 'json':
      return prismaJson(counts);
  }
}

/** PNG resolution: the SVG's CSS pixels are 1/96 in, so this scale gives 300 dpi at the SVG's size. */
export const PNG_DPI = 300;
export const PNG_SCALE = PNG_DPI / 96;
