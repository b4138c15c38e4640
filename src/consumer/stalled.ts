/**
 * A record whose deserializer answered with a Promise (a schema fetched on first sight). Nothing after it
 * is handed out until it settles, so the application still sees each partition's records in order.
 */
export class StalledRecord<R> {
  #until: Promise<void> | undefined;
  #record: R | undefined;
  #error: Error | undefined;

  /** A record is held and has not settled yet. */
  get waiting(): boolean {
    return this.#until !== undefined;
  }

  /** A record settled and waits to be taken. */
  get ready(): boolean {
    return this.#record !== undefined || this.#error !== undefined;
  }

  /** Holds `result`; `settled` runs once it settled either way. */
  hold(result: Promise<R>, settled: () => void): void {
    this.#until = result.then(
      (record) => {
        this.#record = record;
      },
      (err: unknown) => {
        this.#error = err as Error;
      },
    );
    void this.#until.then(() => {
      this.#until = undefined;
      settled();
    });
  }

  /** Resolves once the held record settled (at once when none is held). Never rejects. */
  async settled(): Promise<void> {
    await this.#until;
  }

  /** The settled record, or its error thrown; the hold is over either way. */
  take(): R {
    const { record, error } = { record: this.#record, error: this.#error };
    this.#record = undefined;
    this.#error = undefined;
    if (error !== undefined) throw error;
    return record!;
  }
}
