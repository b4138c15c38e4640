/** Subject name strategies: which registry subject a topic's keys or values are registered under. */

/**
 * 'topic': `<topic>-key` / `<topic>-value` (the default); 'record': the record's full name; 'topic-record':
 * `<topic>-<record name>`; or a function of the topic, the role and the record name.
 */
export type SubjectNameStrategy =
  'topic' | 'record' | 'topic-record' | ((topic: string, isKey: boolean, recordName: string | undefined) => string);

export function subjectName(
  strategy: SubjectNameStrategy,
  topic: string,
  isKey: boolean,
  recordName: string | undefined,
): string {
  if (typeof strategy === 'function') {
    const subject = strategy(topic, isKey, recordName);
    if (typeof subject !== 'string' || subject === '') {
      throw new TypeError(`the subject function returned ${typeof subject}, not a non-empty string`);
    }
    return subject;
  }
  if (strategy === 'topic') return `${topic}-${isKey ? 'key' : 'value'}`;
  if (recordName === undefined) {
    throw new TypeError(`the '${strategy}' subject strategy needs the serde's own schema (its record name)`);
  }
  return strategy === 'record' ? recordName : `${topic}-${recordName}`;
}
