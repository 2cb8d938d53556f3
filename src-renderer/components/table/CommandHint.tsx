import { CopyIcon } from '../details/Hash';

/** The equivalent command, for copying into a terminal. */
export function CommandHint({ text }: { text: string }) {
  return (
    <p className="command-hint small">
      <code>{text}</code>
      <button type="button" className="copy-button" aria-label="Copy the command" title="Copy the command" onClick={() => void navigator.clipboard?.writeText(text)}><CopyIcon /></button>
    </p>
  );
}
