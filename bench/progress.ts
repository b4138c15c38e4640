/** The live progress line of `npm run bench`: rewritten in place on a terminal, one line per run otherwise. */
export class Progress {
  readonly #tty = Boolean(process.stderr.isTTY);
  readonly #started = Date.now();
  #last = '';

  #elapsed(): string {
    const s = Math.round((Date.now() - this.#started) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }

  /** A run is starting (only shown on a terminal). */
  status(text: string): void {
    if (!this.#tty) return;
    this.#last = `[${this.#elapsed()}] ${text}`;
    process.stderr.write(`\r\x1b[K${this.#last.slice(0, (process.stderr.columns || 120) - 1)}`);
  }

  /** A run finished: its line stays. */
  done(text: string): void {
    const line = `[${this.#elapsed()}] ${text}`;
    process.stderr.write(this.#tty ? `\r\x1b[K${line}\n` : `${line}\n`);
  }

  log(text: string): void {
    process.stderr.write(this.#tty ? `\r\x1b[K${text}\n` : `${text}\n`);
  }
}
