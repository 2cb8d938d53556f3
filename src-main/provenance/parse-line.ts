/**
 * The one entry point of the parsers: a line (or a JSON value from a per-event file) → a
 * record or a rejection with a one-sentence reason. Never throws.
 *
 * Bad input is rejected by the parsers themselves, with a reason naming the field. An
 * exception out of a parser is therefore a defect of Retrace, not of the line: it still costs
 * only that line, but the rejection is marked `bug` (and counted as a `parser_bug` warning),
 * so tests and users can tell it from invalid input.
 */
import { parseAppStateRow, parseFileOpRow, isAppStateRow, isFileOpRow } from './parse-hopsworks';
import { parseOpenLineage } from './parse-openlineage';
import { type ParseResult, isPlainObject, printable, reject } from './records';

/** Reads a JSON object that is an event; returns a rejection for bad input, never throws on purpose. */
export type RecordReader = (value: Record<string, unknown>) => ParseResult;

export function parseProvenanceLine(line: string, read: RecordReader = readKnownShape): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return reject(`The line is not valid JSON (${firstSentence(err)}).`);
  }
  return parseProvenanceValue(value, read);
}

export function parseProvenanceValue(value: unknown, read: RecordReader = readKnownShape): ParseResult {
  if (!isPlainObject(value)) {
    return reject(`The line is JSON but ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not an object.`);
  }
  try {
    return read(value);
  } catch (err) {
    // A parser defect must cost one line, never the ingest; but it is not the line's fault.
    if (process.env.RETRACE_DEBUG === '1') process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    return { ok: false, bug: true, reason: `Retrace could not read this event because of a defect in its parser (${firstSentence(err)}); please report it with this line.` };
  }
}

/** Hopsworks file-op rows, Hopsworks app-state rows, else OpenLineage. */
function readKnownShape(value: Record<string, unknown>): ParseResult {
  if (isFileOpRow(value)) return parseFileOpRow(value);
  if (isAppStateRow(value)) return parseAppStateRow(value);
  return parseOpenLineage(value);
}

function firstSentence(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // V8 quotes the offending input; its control characters would garble a terminal.
  return printable(msg.split('\n')[0]!.slice(0, 120)).replace(/\.$/, '');
}
