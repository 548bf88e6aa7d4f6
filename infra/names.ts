/** `registration-step` → `RegistrationStep`: construct ids derived from manifest names. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

/**
 * The stateful stack's outputs holding the queues' URLs, `QueueUrls1`, `QueueUrls2`, …: what
 * `npx gongkai dlq … --outputs FILE` reads in `cdk deploy --outputs-file FILE`. Each holds up to
 * `QUEUES_PER_OUTPUT` queues as `name=url` separated by spaces — one output per queue would spend
 * CloudFormation's 200 outputs a template (a workflow step's queue already takes three exports).
 */
export const QUEUE_URLS_OUTPUT_PREFIX = "QueueUrls";
export const QUEUES_PER_OUTPUT = 20;

/** The queue URLs of a deploy's outputs (every stack's outputs, by key). */
export function queueUrlsFromOutputs(outputs: Record<string, string>): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(outputs)) {
    if (!new RegExp(`^${QUEUE_URLS_OUTPUT_PREFIX}\\d+$`).test(key)) continue;
    for (const pair of value.split(" ")) {
      const at = pair.indexOf("=");
      if (at > 0) urls[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return urls;
}
