/**
 * What the security inspection reads of the deployment itself: the table's backup
 * (point-in-time recovery on AWS) and the dead-letter queues' depths. Each answer says
 * in Chinese what it is, also where there is nothing to read (the local stack).
 */
export interface BackupStatus {
  status: "ok" | "finding" | "not_applicable" | "unknown";
  detail: string;
}

export interface DeadLetterDepth {
  queue: string;
  /** messages waiting (visible + in flight); undefined when it could not be read */
  depth?: number;
  error?: string;
}

export interface OpsProbe {
  backup(): Promise<BackupStatus>;
  /** every dead-letter queue the function was given; empty when none */
  deadLetterDepths(): Promise<DeadLetterDepth[]>;
}
