/**
 * Reading PDFs inside VS Code's extension host, whose `navigator` is a getter-only global (pdf.js
 * assigns one in Node when it has no language): the text is read all the same, and the host's own
 * navigator is put back afterwards.
 */
import { afterAll, expect, it } from 'vitest';
import { articlePdf } from '../../support/make-pdf';

const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
const hostNavigator = () => undefined;
Object.defineProperty(globalThis, 'navigator', { get: hostNavigator, configurable: true });
afterAll(() => {
  if (original) Object.defineProperty(globalThis, 'navigator', original);
});

it('reads the DOI and the title where navigator has only a getter', async () => {
  const { readPdfFacts } = await import('../../../src/screening/fulltext/pdf-text');
  const facts = await readPdfFacts(await articlePdf({ title: 'Coordination of services for people with serious mental illness', doi: '10.1037/prj0000404' }));
  expect(facts.status).toBe('ok');
  expect(facts.textDois).toEqual(['10.1037/prj0000404']);
  expect(Object.getOwnPropertyDescriptor(globalThis, 'navigator')?.get).toBe(hostNavigator);
});
