import pc from 'picocolors';
import { writeFileAtomic } from './atomic-write.ts';

/** Colour only for a terminal, and never when NO_COLOR is set (picocolors checks both). */
export function useColor(stream: NodeJS.WriteStream): boolean {
  return pc.isColorSupported && Boolean(stream.isTTY);
}

/** Writes a report to a file (whole or not at all, creating folders) or to stdout when no file is given. */
export function writeOutput(text: string, file: string | undefined): void {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (!file || file === '-') {
    process.stdout.write(body);
    return;
  }
  writeFileAtomic(file, body);
}

/** A one-line progress indicator on stderr, only when stderr is a terminal. */
export class Progress {
  private readonly enabled: boolean;
  private shown = false;
  constructor(enabled: boolean) {
    this.enabled = enabled && Boolean(process.stderr.isTTY);
  }
  update(done: number, total: number, label: string): void {
    if (!this.enabled) return;
    const width = Math.max(20, (process.stderr.columns ?? 80) - 30);
    const shown = label.length > width ? `...${label.slice(-width + 3)}` : label;
    process.stderr.write(`\r\x1b[2K${pc.dim(`scanning ${done}/${total}`)} ${shown}`);
    this.shown = true;
  }
  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
