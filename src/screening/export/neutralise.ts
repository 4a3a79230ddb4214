/**
 * Making exported text safe where it lands: spreadsheets (formula injection), Markdown and HTML
 * (markup from a record's title), terminals (control characters). Kept in one place so the
 * exports share it (another module doing the same for the PRISMA exports is to be folded in here).
 */

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @ tab CR first. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A CSV cell that Excel, LibreOffice and Google Sheets show as text: a leading apostrophe. */
export function neutraliseCsvCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}


const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Text for a Markdown table cell or paragraph: markup characters backslash-escaped, `<` and `&`
 * as entities (GitHub renders inline HTML), line breaks flattened, `|` escaped.
 */
export function escapeMarkdown(value: string): string {
  return terminalSafe(value)
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]|~])/g, '\\$1')
    // A paragraph starting like a heading, quote, list item or numbered list.
    .replace(/^(\s*)(#+|[>+-]|\d+[.)])(?=\s|$)/, '$1\\$2');
}

/** C0/C1 control characters (escape sequences included) as spaces, except tab and line feed. */
export function terminalSafe(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
}

/** One line for a terminal: control characters and line breaks as spaces. */
export function terminalLine(value: string): string {
  return terminalSafe(value).replace(/[\t\n]+/g, ' ');
}
