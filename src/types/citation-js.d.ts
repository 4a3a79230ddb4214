// citation-js ships no type declarations; these cover the parts we call.
declare module '@citation-js/core' {
  export const plugins: {
    input: {
      chain(data: unknown, options?: { forceType?: string; target?: string; generateGraph?: boolean }): unknown;
    };
    config: { get(name: string): unknown };
    output: { format(name: string, data: unknown, options?: Record<string, unknown>): unknown };
  };
  export class Cite {
    constructor(data?: unknown, options?: Record<string, unknown>);
    data: unknown[];
    static async(data: unknown, options?: Record<string, unknown>): Promise<Cite>;
  }
}
declare module '@citation-js/plugin-ris';
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-csl';
