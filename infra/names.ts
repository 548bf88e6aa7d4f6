/** `registration-step` → `RegistrationStep`: construct ids derived from manifest names. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

/**
 * The stateful stack's output holding a queue's URL, e.g. `QueueUrlMail`: what
 * `npx gongkai dlq … --outputs FILE` looks up in `cdk deploy --outputs-file FILE`.
 */
export function queueUrlOutputKey(queue: string): string {
  return `QueueUrl${pascalCase(queue)}`;
}
