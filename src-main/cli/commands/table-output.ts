/** Where `retrace table` output goes; tests pass their own sink (stdout also carries the test runner's reports). */
export interface TableOutput {
  write(text: string): Promise<void>;
  /** A warning for stderr (damage the read went past). */
  warn?(text: string): void;
}

export const stdoutSink: TableOutput = {
  async write(text) {
    if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  },
  warn(text) { process.stderr.write(`warning: ${text}\n`); },
};
