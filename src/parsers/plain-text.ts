/**
 * Plain text, the fallback for prose no other importer claims (saved web pages, grey literature): one
 * record per file, titled by its first heading-like line, typed 'grey-literature', with the first
 * paragraph(s) after the title as abstract and the whole text kept as full text.
 */
import { cleanText } from './normalise';
import { ProblemLog, RecordSink, makeRecord } from './tagged';
import type { Importer, ParseResult } from './types';

/** Slightly above the registry's threshold, so any importer that claims the file wins. */
const PLAIN_TEXT_SCORE = 0.21;
const MAX_TITLE = 150;
const ABSTRACT_TARGET = 400;
const ABSTRACT_MAX = 1500;

/** A line that reads as a heading: short, with letters, no final full stop, comma or colon, no bullet. */
export function isHeadingLike(line: string): boolean {
  const text = line.trim();
  if (text.length < 3 || text.length > MAX_TITLE) return false;
  if (/[.,;:]$/.test(text)) return false;
  if (/^[-*•·«»>|+=_~#]/.test(text) && !/^#{1,6}\s+\S/.test(text)) return false;
  if (!/\p{L}{2,}/u.test(text)) return false;
  if (/^(https?:|www\.)/i.test(text)) return false;
  return text.split(/\s+/).length <= 20;
}

/** Characters that may separate the words of a run in prose. */
const WORD_SEPARATORS = new Set([' ', ',', ';', ':', "'", '’', '(', ')', '-']);
const LETTER = /\p{L}/u;

function isLetter(char: string): boolean {
  const c = char.charCodeAt(0);
  if (c < 0x80) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return LETTER.test(char);
}

/**
 * Whether the text holds `count` words in a row: a word of two or more letters, then words of one or
 * more letters, each after a run of separators (spaces, commas, …). Prose has such runs; JSON, CSV and
 * markup do not. One pass over the text, where the regular expression that said the same,
 * /\p{L}{2,}(?:[ ,;:'’()-]+\p{L}+){3,}/u, backtracked over every start inside a long word: seconds
 * for tens of kilobytes of letters without a space.
 */
export function hasWordRun(text: string, count: number): boolean {
  let words = 0; // words in the current run, the one being read included once it counts
  let letters = 0; // letters read of the current word
  let separated = false; // separators since the run's last word
  for (const char of text) {
    if (isLetter(char)) {
      if (letters === 0) {
        // A word after separators continues the run; any other word may start a new one.
        if (!(separated && words > 0)) words = 0;
        else words++;
        separated = false;
      }
      letters++;
      if (words === 0 && letters >= 2) words = 1;
      if (words >= count) return true;
      continue;
    }
    letters = 0;
    if (WORD_SEPARATORS.has(char)) {
      if (words > 0) separated = true;
    } else {
      words = 0;
      separated = false;
    }
  }
  return false;
}

interface Block {
  text: string;
  line: number;
}

/** Paragraphs: runs of non-empty lines, joined with a space, with their first line number. */
function paragraphs(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current: string[] = [];
  let start = 0;
  lines.forEach((line, i) => {
    if (line.trim()) {
      if (current.length === 0) start = i + 1;
      current.push(line.trim());
    } else if (current.length > 0) {
      blocks.push({ text: current.join(' '), line: start });
      current = [];
    }
  });
  if (current.length > 0) blocks.push({ text: current.join(' '), line: start });
  return blocks;
}

/** The first prose paragraphs after the title, up to about ABSTRACT_TARGET characters, cut at a sentence. */
function abstractFrom(blocks: Block[], from: number): string | undefined {
  const parts: string[] = [];
  let length = 0;
  for (let i = from; i < blocks.length && length < ABSTRACT_TARGET; i++) {
    const text = blocks[i].text;
    const prose = text.length >= 80 || /[.!?]["')\]]?$/.test(text);
    if (!prose || /:$/.test(text)) {
      if (parts.length > 0 && isHeadingLike(text)) break;
      continue;
    }
    parts.push(text);
    length += text.length + 1;
  }
  let abstract = cleanText(parts.join(' '));
  if (abstract && abstract.length > ABSTRACT_MAX) {
    const cut = abstract.slice(0, ABSTRACT_MAX);
    const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('? '), cut.lastIndexOf('! '));
    abstract = end > ABSTRACT_TARGET / 2 ? cut.slice(0, end + 1) : `${cut.replace(/\s+\S*$/, '')}…`;
  }
  return abstract;
}

export const plainTextImporter: Importer = {
  format: 'plain-text',
  label: 'Plain text',
  sniff(text: string): number {
    const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
    let control = 0;
    let letters = 0;
    let visible = 0;
    for (let i = 0; i < sample.length; i++) {
      const c = sample.charCodeAt(i);
      if (c === 9 || c === 10 || c === 13 || c === 32 || c === 0xfeff) continue;
      if (c < 32 || c === 0xfffd || (c >= 0x7f && c < 0xa0)) control++;
      visible++;
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && /\p{L}/u.test(sample[i]))) letters++;
    }
    if (visible === 0 || control / visible > 0.01) return 0;
    if (letters / visible < 0.6) return 0;
    const words = sample.match(/\p{L}{2,}/gu)?.length ?? 0;
    return words >= 5 && hasWordRun(sample, 4) ? PLAIN_TEXT_SCORE : 0;
  },
  parse(text: string, file: string): ParseResult {
    const problems = new ProblemLog(file);
    const sink = new RecordSink(file, 'plain-text', problems);
    const body = text.replace(/\r\n?/g, '\n');
    const lines = body.split('\n');
    const blocks = paragraphs(lines);
    if (blocks.length === 0) {
      problems.add(0, 'error', 'The file holds no text.');
      return { records: [], problems: problems.finish() };
    }
    // Title: the first heading-like line among the first paragraphs; else the first line, shortened.
    let titleBlock = -1;
    let title: string | undefined;
    for (let i = 0; i < Math.min(blocks.length, 40) && titleBlock < 0; i++) {
      const firstLine = lines[blocks[i].line - 1];
      if (isHeadingLike(firstLine)) {
        titleBlock = i;
        title = cleanText(firstLine.replace(/^#{1,6}\s+/, ''));
      }
    }
    if (titleBlock < 0) {
      titleBlock = 0;
      const first = cleanText(lines[blocks[0].line - 1]) ?? '';
      title = first.length > MAX_TITLE ? `${first.slice(0, MAX_TITLE).replace(/\s+\S*$/, '')}…` : first;
      problems.add(blocks[0].line, 'info', 'No heading found; the first line is used as the title.');
    }
    // The title's own paragraph may go on after the title line.
    const rest = blocks[titleBlock].text.slice(lines[blocks[titleBlock].line - 1].trim().length).trim();
    const after = rest ? [{ text: rest, line: blocks[titleBlock].line + 1 }, ...blocks.slice(titleBlock + 1)] : blocks.slice(titleBlock + 1);
    const abstract = abstractFrom(after, 0) ?? abstractFrom(blocks, 0);
    sink.push(makeRecord({ title: title ?? '', authors: [], abstract, keywords: [], type: 'grey-literature', fullText: body.trim() }), blocks[0].line);
    return { records: sink.records, problems: problems.finish() };
  },
};
