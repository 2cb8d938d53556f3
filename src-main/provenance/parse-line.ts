/**
 * The one entry point of the parsers: a line (or a JSON value from a per-event file) → a
 * record or a rejection with a one-sentence reason. Pure; never throws.
 */
import { parseAppStateRow, parseFileOpRow, isAppStateRow, isFileOpRow } from './parse-hopsworks';
import { parseOpenLineage } from './parse-openlineage';
import { type ParseResult, isPlainObject, printable, reject } from './records';

export function parseProvenanceLine(line: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return reject(`The line is not valid JSON (${firstSentence(err)}).`);
  }
  return parseProvenanceValue(value);
}

export function parseProvenanceValue(value: unknown): ParseResult {
  if (!isPlainObject(value)) {
    return reject(`The line is JSON but ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not an object.`);
  }
  try {
    if (isFileOpRow(value)) return parseFileOpRow(value);
    if (isAppStateRow(value)) return parseAppStateRow(value);
    return parseOpenLineage(value);
  } catch (err) {
    // A parser bug or a pathological value must cost one line, never the ingest.
    return reject(`The event could not be read (${firstSentence(err)}).`);
  }
}

function firstSentence(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // V8 quotes the offending input; its control characters would garble a terminal.
  return printable(msg.split('\n')[0]!.slice(0, 120)).replace(/\.$/, '');
}
